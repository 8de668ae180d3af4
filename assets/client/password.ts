// "Show" buttons beside password fields, so people can check what they typed.
document.addEventListener("click", (event) => {
  const toggle = (event.target as Element).closest("[data-password-toggle]");
  if (!toggle) return;
  const input = toggle.parentElement!.querySelector("input")!;
  const reveal = input.type === "password";
  input.type = reveal ? "text" : "password";
  toggle.textContent = reveal ? "Hide" : "Show";
  toggle.setAttribute("aria-label", reveal ? "Hide password" : "Show password");
});
