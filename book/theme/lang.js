// 페이지 언어와 언어 전환 · Page language and the language switch.
// Pages live in ko/ and en/ with the same file names, so the other language's
// page is the same file in the sibling folder. Relative links work under
// `mdbook serve` and on a published site alike.
(function () {
    "use strict";
    var match = window.location.pathname.match(/\/(ko|en)\/([^/]*)$/);
    var lang = match ? match[1] : null;
    if (lang) {
        document.documentElement.lang = lang;
    }
    var buttons = document.querySelector("#mdbook-menu-bar .right-buttons");
    if (!buttons) {
        return;
    }
    var targets = lang
        ? [{ lang: lang === "ko" ? "en" : "ko", href: "../" + (lang === "ko" ? "en" : "ko") + "/" + match[2] }]
        : [];
    targets.forEach(function (t) {
        var link = document.createElement("a");
        link.href = t.href;
        link.className = "lang-switch";
        link.lang = t.lang;
        link.hreflang = t.lang;
        link.textContent = t.lang === "ko" ? "한국어" : "English";
        link.title = t.lang === "ko" ? "이 페이지를 한국어로" : "This page in English";
        buttons.insertBefore(link, buttons.firstChild);
    });
})();
