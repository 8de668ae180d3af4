// Pictures in messages open full size over the page: Escape, a tap or a swipe closes it, the arrow
// keys go to the previous or next picture in the room. Without this script the link opens the file.
const SWIPE_PX = 60;

let dialog: HTMLDialogElement | null = null;
let current: HTMLAnchorElement | null = null;

function build(): HTMLDialogElement {
  const box = document.createElement("dialog");
  box.className = "lightbox";
  box.dataset.lightboxDialog = "";
  const image = document.createElement("img");
  image.className = "lightbox__image";
  image.alt = "";
  const bar = document.createElement("div");
  bar.className = "lightbox__bar";
  const download = document.createElement("a");
  download.className = "button lightbox__download";
  download.textContent = "Download";
  const close = document.createElement("button");
  close.type = "button";
  close.className = "button lightbox__close";
  close.textContent = "Close";
  close.addEventListener("click", () => box.close());
  bar.append(download, close);
  box.append(image, bar);
  // A tap on the picture or around it closes, as on a phone; the bar's buttons do their own thing.
  box.addEventListener("click", (event) => {
    if (!(event.target as Element).closest(".lightbox__bar")) box.close();
  });
  let startY = 0;
  box.addEventListener("touchstart", (event) => (startY = event.touches[0]!.clientY), { passive: true });
  box.addEventListener("touchend", (event) => {
    if (Math.abs(event.changedTouches[0]!.clientY - startY) > SWIPE_PX) box.close();
  });
  box.addEventListener("close", () => (current = null));
  document.body.append(box);
  return box;
}

function show(link: HTMLAnchorElement) {
  dialog ??= build();
  current = link;
  const image = dialog.querySelector<HTMLImageElement>(".lightbox__image")!;
  image.src = link.href;
  image.alt = link.querySelector("img")?.alt ?? "";
  const download = dialog.querySelector<HTMLAnchorElement>(".lightbox__download")!;
  download.href = link.href;
  download.download = image.alt;
  if (!dialog.open) dialog.showModal();
}

function step(by: number) {
  if (!current) return;
  const links = [...document.querySelectorAll<HTMLAnchorElement>("[data-messages] a[data-lightbox]")];
  const next = links[links.indexOf(current) + by];
  if (next) show(next);
}

document.addEventListener("click", (event) => {
  const link = (event.target as Element).closest?.<HTMLAnchorElement>("a[data-lightbox]");
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  show(link);
});

document.addEventListener("keydown", (event) => {
  if (!dialog?.open) return;
  if (event.key === "ArrowLeft") step(-1);
  else if (event.key === "ArrowRight") step(1);
});
