// /admin/school/classes/:id: one class for admins — teachers, roster, import, join codes.

import { t } from "../../i18n.js";
import { h } from "../../ui.js";
import { adminFrame } from "./layout.js";
import { backLink } from "../school/common.js";
import { renderClass } from "../school/class-body.js";

export async function render(ctx) {
  const content = adminFrame(ctx, "school");
  const body = h("div", { class: "school-class", "data-testid": "admin-school-class" });
  content.append(backLink("/admin/school", t("schoolAdmin.allClasses")), body);
  await renderClass(ctx, body, ctx.params.id);
}
