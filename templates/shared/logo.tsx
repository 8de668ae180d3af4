/** @jsxImportSource hono/jsx */
import type { FC } from "hono/jsx";
import { assetPath } from "../../src/http/assets.ts";

export const Logo: FC = () => <img class="panel__logo" src={assetPath("campfire.svg")} alt="" width={64} height={64} />;
