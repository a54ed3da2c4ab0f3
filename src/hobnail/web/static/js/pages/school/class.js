// /school/classes/:id: one class for its teachers — the roster, the import (head teacher)
// and the join codes. Admins reach the same view from Admin → School.

import { t } from "../../i18n.js";
import { h } from "../../ui.js";
import { backLink } from "./common.js";
import { renderClass } from "./class-body.js";

export async function render(ctx) {
  const body = h("div", { class: "school-class", "data-testid": "school-class-page" });
  ctx.main.append(backLink("/school", t("nav.school")), h("div", { class: "page-head" }, h("h1", {}, t("school.classTitle"))), body);
  await renderClass(ctx, body, ctx.params.id);
}
