// Akinai storefront: customer passkeys (My Page registration, sign-in).
// Buttons carry data-passkey="register|login". The server keeps the
// ceremony; this file uses the browser's own JSON helpers
// (parse…OptionsFromJSON, PublicKeyCredential.toJSON) and posts with the
// page's CSRF token in the X-CSRF-Token header.
(function () {
  "use strict";

  function csrf() {
    var el = document.querySelector('input[name="csrf"]');
    return el ? el.value : "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf() },
      body: JSON.stringify(body || {})
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) throw new Error(data.error || ("HTTP " + res.status));
        return data;
      });
    });
  }

  function showError(msg) {
    var el = document.getElementById("passkey-error");
    if (el) {
      el.textContent = msg;
      el.hidden = false;
    }
    document.body.setAttribute("data-passkey-failed", msg);
  }

  function register() {
    var name = document.getElementById("passkey-name");
    return post("/mypage/passkeys/begin", { name: name ? name.value : "" }).then(function (opts) {
      var publicKey = PublicKeyCredential.parseCreationOptionsFromJSON(opts.publicKey);
      return navigator.credentials.create({ publicKey: publicKey });
    }).then(function (cred) {
      return post("/mypage/passkeys/finish", cred.toJSON());
    });
  }

  function login() {
    return post("/mypage/login/passkey/begin").then(function (opts) {
      var publicKey = PublicKeyCredential.parseRequestOptionsFromJSON(opts.publicKey);
      return navigator.credentials.get({ publicKey: publicKey });
    }).then(function (cred) {
      return post("/mypage/login/passkey/finish", cred.toJSON());
    });
  }

  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest("[data-passkey]");
    if (!btn) return;
    ev.preventDefault();
    if (!window.PublicKeyCredential || !PublicKeyCredential.parseCreationOptionsFromJSON) {
      showError(btn.textContent + ": not supported by this browser");
      return;
    }
    btn.disabled = true;
    var run = btn.getAttribute("data-passkey") === "register" ? register : login;
    run().then(function (res) {
      window.location.assign(res.redirect || "/mypage");
    }).catch(function (err) {
      btn.disabled = false;
      showError(err && err.message ? err.message : String(err));
    });
  });
})();
