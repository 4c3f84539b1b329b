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

  // Colours as [r, g, b] (0–255) from `#rgb` or `#rrggbb`; null for anything else (an alpha included).
  function rgb(hex) {
    var digits = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex || "");
    if (!digits) return null;
    var full = digits[1].length === 3 ? digits[1].replace(/./g, "$&$&") : digits[1];
    return [0, 2, 4].map(function (at) { return parseInt(full.substr(at, 2), 16); });
  }

  function luminance(colour) {
    var linear = colour.map(function (channel) {
      var c = channel / 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
  }

  function contrast(a, b) {
    var la = luminance(a), lb = luminance(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  }

  function hex(colour) {
    return "#" + colour.map(function (c) { return ("0" + Math.round(c).toString(16)).slice(-2); }).join("");
  }

  // `colour` moved toward `target` in tenths until it reads at 4.5:1 (WCAG AA) against every one of `against`.
  // Telegram's own themes give hints and buttons as little as 2.4:1; the page keeps their hue where it can.
  function readable(colour, target, against) {
    for (var step = 0; step <= 10; step++) {
      var mixed = colour.map(function (c, i) { return c + (target[i] - c) * step / 10; });
      if (against.every(function (other) { return contrast(mixed, other) >= 4.5; })) return mixed;
    }
    return target;
  }

  // The theme's colours as the page uses them: text on the two backgrounds, button text on the button.
  function legible(colours) {
    var bg = rgb(colours.bg_color) || [255, 255, 255];
    var text = rgb(colours.text_color) || (luminance(bg) > 0.18 ? [0, 0, 0] : [255, 255, 255]);
    var backgrounds = [bg, rgb(colours.secondary_bg_color) || bg];
    ["hint_color", "link_color"].forEach(function (key) {
      if (rgb(colours[key])) colours[key] = hex(readable(rgb(colours[key]), text, backgrounds));
    });
    var button = rgb(colours.button_color), label = rgb(colours.button_text_color) || [255, 255, 255];
    if (button) {
      colours.button_color = hex(readable(button, luminance(label) > 0.18 ? [0, 0, 0] : [255, 255, 255], [label]));
    }
    return colours;
  }

  function applyTheme() {
    var theme = remembered("tgWebAppThemeParams");
    if (!theme) return;
    try {
      var colours = legible(JSON.parse(theme));
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
