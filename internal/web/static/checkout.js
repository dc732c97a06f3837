// checkout.js: fills prefecture and city from the postal code as the
// customer types it. The form works without it ("住所を検索" button).
(function () {
  "use strict";
  function fill(prefix) {
    var code = document.getElementById(prefix + "postal_code");
    if (!code) return;
    code.addEventListener("change", function () {
      var digits = code.value.replace(/[^0-9０-９]/g, "");
      if (digits.length !== 7) return;
      fetch("/api/postal/" + encodeURIComponent(digits), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (list) {
          if (!list.length) return;
          var pref = document.getElementById(prefix + "pref");
          var city = document.getElementById(prefix + "city");
          if (pref) pref.value = String(list[0].pref);
          if (city && !city.value) city.value = list[0].city;
        })
        .catch(function () {});
    });
  }
  fill("");
  fill("s_");
  for (var i = 1; i <= 5; i++) fill("d" + i + "_");

  // Time slots: only the chosen delivery method's slots are offered. The
  // server renders the chosen method's group (and validates the slot
  // against the method); this follows the radio buttons as they change.
  function slots(prefix) {
    var select = document.getElementById(prefix + "slot");
    var radios = document.querySelectorAll('input[type=radio][name="' + prefix + 'method"]');
    if (!select || !radios.length) return;
    function update() {
      var chosen = "";
      for (var i = 0; i < radios.length; i++) if (radios[i].checked) chosen = radios[i].value;
      var groups = select.querySelectorAll("optgroup[data-method]");
      for (var j = 0; j < groups.length; j++) {
        var off = chosen !== "" && groups[j].getAttribute("data-method") !== chosen;
        groups[j].hidden = off;
        groups[j].disabled = off;
      }
      var opt = select.options[select.selectedIndex];
      if (opt && opt.parentNode.tagName === "OPTGROUP" && opt.parentNode.disabled) select.value = "";
    }
    for (var i = 0; i < radios.length; i++) radios[i].addEventListener("change", update);
    update();
  }
  slots("");
  for (var k = 1; k <= 5; k++) slots("d" + k + "_");
})();
