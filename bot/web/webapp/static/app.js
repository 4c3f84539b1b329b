// The page's one script. Telegram opens a Mini App with `#tgWebAppData=…&tgWebAppThemeParams=…` in the URL;
// the signed initData goes to /webapp/auth once (the server answers with a session cookie), the theme's
// colours become CSS variables, and the client is told the page is ready through its postEvent bridge.
(function () {
  "use strict";
  var hash = new URLSearchParams(location.hash.slice(1));

  // Inside Telegram: a mobile client's webview, a desktop client's, or a web client's frame.
  function inTelegram() {
    return Boolean(window.TelegramWebviewProxy || (window.external && "notify" in window.external) || window.parent !== window);
  }

  function postEvent(type, data) {
    var body = JSON.stringify(data || {});
    if (window.TelegramWebviewProxy) {
      window.TelegramWebviewProxy.postEvent(type, body);
    } else if (window.external && "notify" in window.external) {
      window.external.notify(JSON.stringify({ eventType: type, eventData: data || {} }));
    } else if (window.parent !== window) {
      window.parent.postMessage(JSON.stringify({ eventType: type, eventData: data || {} }), "https://web.telegram.org");
    }
  }

  function remembered(name) {
    var value = hash.get(name);
    try {
      if (value) sessionStorage.setItem(name, value);
      else value = sessionStorage.getItem(name);
    } catch (e) { /* storage refused: the fragment alone */ }
    return value;
  }

  function applyTheme() {
    var theme = remembered("tgWebAppThemeParams");
    if (!theme) return;
    try {
      var colours = JSON.parse(theme);
      Object.keys(colours).forEach(function (key) {
        if (/^#[0-9a-fA-F]{3,8}$/.test(colours[key])) {
          document.documentElement.style.setProperty("--tg-" + key.replace(/_/g, "-"), colours[key]);
        }
      });
    } catch (e) { /* a malformed theme: the page's own colours */ }
  }

  function authenticate() {
    var initData = remembered("tgWebAppData");
    var opening = document.getElementById("opening");
    var reopen = document.getElementById("reopen");
    function failed() {
      if (opening) opening.hidden = true;
      if (reopen) reopen.hidden = false;
    }
    if (!initData) return failed();
    // Once only: a browser that refused the cookie would otherwise reload for ever.
    try {
      if (sessionStorage.getItem("authTried")) { sessionStorage.removeItem("authTried"); return failed(); }
      sessionStorage.setItem("authTried", "1");
    } catch (e) { /* storage refused: one try anyway */ }
    var body = new URLSearchParams();
    body.set("init_data", initData);
    fetch("/webapp/auth", { method: "POST", body: body, credentials: "same-origin" }).then(function (answer) {
      if (answer.ok) location.reload();
      else failed();
    }, failed);
  }

  // A link with `data-download="file name"`: inside Telegram the client downloads it (its documented
  // `web_app_request_file_download`, an absolute https URL); in a plain browser the link itself does.
  function offerDownloads() {
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[data-download]") : null;
      if (!link || !inTelegram()) return;
      event.preventDefault();
      postEvent("web_app_request_file_download", { url: link.href, file_name: link.dataset.download });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    applyTheme();
    offerDownloads();
    postEvent("web_app_ready");
    postEvent("web_app_expand");
    if (document.body.dataset.session) {
      try { sessionStorage.removeItem("authTried"); } catch (e) { /* nothing kept */ }
    } else {
      authenticate();
    }
  });
})();
