// Akinai catalogue: product page enhancements. Without this file the
// variant <select> lists every combination with its price and stock.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Thumbnails show their image in the main slot instead of navigating.
  const main = document.getElementById("catalog-main-image");
  for (const a of document.querySelectorAll(".gallery .thumbs a[data-image]")) {
    a.addEventListener("click", (e) => {
      if (!main) return;
      e.preventDefault();
      main.src = a.dataset.image;
    });
  }

  const select = document.getElementById("variant_id");
  const note = document.getElementById("catalog-selected");
  if (!select) return;
  const options = Array.from(select.options);
  const show = () => {
    const o = select.selectedOptions[0];
    if (note && o) note.textContent = o.dataset.price + " — " + o.dataset.stock;
  };
  select.addEventListener("change", show);

  // Two axes: replace the combined list by two dependent selects.
  if (select.dataset.axes !== "2") { show(); return; }
  const label = select.closest(".field").querySelector("label");
  const names = label.textContent.split(" / ");
  const uniq = (k) => [...new Set(options.map((o) => o.dataset[k]))];
  const make = (id, name, values) => {
    const wrap = document.createElement("div");
    wrap.className = "field";
    const l = document.createElement("label");
    l.htmlFor = id;
    l.textContent = name;
    const s = document.createElement("select");
    s.id = id;
    for (const v of values) s.add(new Option(v, v));
    wrap.append(l, s);
    return [wrap, s];
  };
  const [w1, s1] = make("catalog-axis1", names[0] || "", uniq("v1"));
  const [w2, s2] = make("catalog-axis2", names[1] || "", []);
  const field = select.closest(".field");
  field.hidden = true;
  field.after(w1, w2);
  const fill2 = () => {
    const keep = s2.value;
    s2.length = 0;
    for (const o of options.filter((o) => o.dataset.v1 === s1.value)) {
      const opt = new Option(o.dataset.v2 + (o.disabled ? " (" + o.dataset.stock + ")" : ""), o.dataset.v2);
      opt.disabled = o.disabled;
      s2.add(opt);
    }
    const first = Array.from(s2.options).find((o) => o.value === keep && !o.disabled) || Array.from(s2.options).find((o) => !o.disabled);
    if (first) s2.value = first.value;
    pick();
  };
  const pick = () => {
    const o = options.find((o) => o.dataset.v1 === s1.value && o.dataset.v2 === s2.value);
    if (o) select.value = o.value;
    if (note && o) note.textContent = o.dataset.price + " — " + o.dataset.stock;
  };
  s1.addEventListener("change", fill2);
  s2.addEventListener("change", pick);
  fill2();
});
