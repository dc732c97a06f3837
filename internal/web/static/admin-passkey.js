// Akinai admin: passkey sign-in and registration. Buttons carry
// data-passkey="login|register", data-base (the admin path) and data-csrf.
// The server keeps the ceremony state; this file only converts between the
// JSON the server speaks (base64url) and the ArrayBuffers the browser API
// wants, and posts the result with the CSRF header.
(function () {
  "use strict";

  function b64urlToBuf(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }

  function bufToB64url(buf) {
    var bytes = new Uint8Array(buf), bin = "";
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function post(url, csrf, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body || {})
    }).then(function (res) {
      return res.text().then(function (t) {
        var data = {};
        try { data = t ? JSON.parse(t) : {}; } catch (e) { data = {}; }
        if (!res.ok) throw new Error(data.error || ("HTTP " + res.status));
        return data;
      });
    });
  }

  function credentialJSON(cred) {
    var r = cred.response, out = {
      id: cred.id,
      rawId: bufToB64url(cred.rawId),
      type: cred.type,
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
      response: { clientDataJSON: bufToB64url(r.clientDataJSON) }
    };
    if (cred.authenticatorAttachment) out.authenticatorAttachment = cred.authenticatorAttachment;
    if (r.attestationObject) {
      out.response.attestationObject = bufToB64url(r.attestationObject);
      if (r.getTransports) out.response.transports = r.getTransports();
    } else {
      out.response.authenticatorData = bufToB64url(r.authenticatorData);
      out.response.signature = bufToB64url(r.signature);
      if (r.userHandle) out.response.userHandle = bufToB64url(r.userHandle);
    }
    return out;
  }

  // login signs in (kind "login") or confirms a sensitive action ("sudo").
  function login(base, csrf, kind, next) {
    var path = kind === "sudo" ? "/passkey/sudo/" : "/passkey/login/";
    return post(base + path + "begin", csrf, { next: next || "" }).then(function (opts) {
      var pk = opts.publicKey;
      pk.challenge = b64urlToBuf(pk.challenge);
      (pk.allowCredentials || []).forEach(function (c) { c.id = b64urlToBuf(c.id); });
      return navigator.credentials.get({ publicKey: pk }).catch(function (e) { return report(base, csrf, kind, e); });
    }).then(function (cred) {
      return post(base + path + "finish", csrf, credentialJSON(cred));
    });
  }

  function register(base, csrf, name) {
    return post(base + "/passkey/register/begin", csrf, { name: name }).then(function (opts) {
      var pk = opts.publicKey;
      pk.challenge = b64urlToBuf(pk.challenge);
      pk.user.id = b64urlToBuf(pk.user.id);
      (pk.excludeCredentials || []).forEach(function (c) { c.id = b64urlToBuf(c.id); });
      return navigator.credentials.create({ publicKey: pk }).catch(function (e) { return report(base, csrf, "register", e); });
    }).then(function (cred) {
      return post(base + "/passkey/register/finish", csrf, credentialJSON(cred));
    });
  }

  // report tells the server the browser refused the ceremony (wrong
  // origin, cancelled), so the attempt is in the audit log; then fails.
  function report(base, csrf, step, e) {
    return post(base + "/passkey/report", csrf, { step: step, name: e && e.name || "", message: e && e.message || "" })
      .catch(function () {}).then(function () { throw e; });
  }

  function start(btn) {
    var box = btn.parentNode.querySelector("[data-passkey-error]") || document.querySelector("[data-passkey-error]");
    var base = btn.getAttribute("data-base"), csrf = btn.getAttribute("data-csrf");
    if (!window.PublicKeyCredential) {
      if (box) { box.textContent = btn.getAttribute("data-unsupported") || "Passkeys are not supported by this browser."; box.hidden = false; }
      return;
    }
    btn.disabled = true;
    if (box) box.hidden = true;
    var kind = btn.getAttribute("data-passkey");
    var p = kind === "register"
      ? register(base, csrf, (document.getElementById("passkey-name") || {}).value || "")
      : login(base, csrf, kind, btn.getAttribute("data-next"));
    p.then(function (res) {
      window.location.assign(res.redirect || base + "/");
    }).catch(function (e) {
      btn.disabled = false;
      if (box) { box.textContent = e && e.message ? e.message : String(e); box.hidden = false; }
      document.body.setAttribute("data-passkey-failed", e && e.name ? e.name : "Error");
    });
  }

  document.addEventListener("click", function (ev) {
    var btn = ev.target.closest ? ev.target.closest("[data-passkey]") : null;
    if (btn) { ev.preventDefault(); start(btn); }
  });
})();
