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
})();
