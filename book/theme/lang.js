// 페이지 언어와 언어 전환 · Page language and the language switch.
// Pages live in ko/ and en/ with the same file names, so the other language's page is the same
// file in the sibling folder. Relative links work under `mdbook serve` and on a published site.
(function () {
    "use strict";
    var HANGUL = /[\uac00-\ud7a3]/;
    var params = new URLSearchParams(window.location.search);
    var match = window.location.pathname.match(/\/(ko|en)\/([^/]*)$/);
    var isPrint = /\/print\.html$/.test(window.location.pathname);
    var lang = match ? match[1] : null;

    // 인쇄 화면은 한 언어만 · the print view in one language: ?lang=ko|en, else the page the
    // reader came from, else Korean (the book's default).
    if (isPrint) {
        var from = (document.referrer.match(/\/(ko|en)\/[^/]*$/) || [])[1];
        lang = params.get("lang") || from || "ko";
    }
    if (lang) {
        document.documentElement.lang = lang;
    }

    // 메뉴 막대의 언어 전환 · the language switch in the menu bar
    var buttons = document.querySelector("#mdbook-menu-bar .right-buttons");
    if (buttons && match) {
        var other = lang === "ko" ? "en" : "ko";
        var link = document.createElement("a");
        link.href = "../" + other + "/" + match[2];
        link.className = "lang-switch";
        link.lang = other;
        link.hreflang = other;
        link.textContent = other === "ko" ? "한국어" : "English";
        link.title = other === "ko" ? "이 페이지를 한국어로" : "This page in English";
        buttons.insertBefore(link, buttons.firstChild);
    }

    // 인쇄 단추는 지금 언어의 인쇄 화면으로 · the print button prints the reader's language
    document.querySelectorAll('a[href$="print.html"]').forEach(function (a) {
        if (lang && !isPrint) {
            a.setAttribute("href", a.getAttribute("href") + "?lang=" + lang);
        }
    });
    if (isPrint && lang) {
        keepOneLanguage(lang);
    }

    if (lang === "ko") {
        translateInterface();
    }

    // 장은 쪽 나눔 div로 나뉘고, 한국어 장의 제목에는 한글이 있습니다. 첫 장(표지)은 두 언어입니다.
    // Chapters are separated by page-break divs; a Korean chapter's title has Hangul. The first
    // one (the landing page) has both languages and is left out.
    function keepOneLanguage(keep) {
        var main = document.querySelector("#mdbook-content main");
        if (!main) {
            return;
        }
        var chapters = [[]];
        Array.prototype.slice.call(main.children).forEach(function (el) {
            if (el.tagName === "DIV" && /break-before/.test(el.getAttribute("style") || "")) {
                chapters.push([]);
            }
            chapters[chapters.length - 1].push(el);
        });
        chapters.forEach(function (elements, i) {
            var h1 = elements.filter(function (el) { return el.tagName === "H1"; })[0];
            var chapterLang = h1 && HANGUL.test(h1.textContent) ? "ko" : "en";
            if (i === 0 || chapterLang !== keep) {
                elements.forEach(function (el) { el.remove(); });
            }
        });
    }

    // 한국어 페이지의 mdBook 문구 · mdBook's own words on Korean pages
    function translateInterface() {
        var titles = {
            Note: "참고", Tip: "팁", Important: "중요", Warning: "경고", Caution: "주의"
        };
        document.querySelectorAll(".blockquote-tag-title").forEach(function (p) {
            var text = p.lastChild;
            if (text && text.nodeType === 3 && titles[text.textContent.trim()]) {
                text.textContent = titles[text.textContent.trim()];
            }
        });
        var bar = document.getElementById("mdbook-searchbar");
        if (bar) {
            bar.placeholder = "이 책에서 찾기…";
        }
        var header = document.getElementById("mdbook-searchresults-header");
        if (header) {
            // 바뀔 때만 씁니다: 같은 글을 다시 쓰면 관찰자가 끝없이 불립니다.
            // Write only on a change: rewriting the same text would wake the observer forever.
            new MutationObserver(function () {
                var korean = koreanHeader(header.textContent);
                if (korean !== header.textContent) {
                    header.textContent = korean;
                }
            }).observe(header, { childList: true, characterData: true, subtree: true });
        }
    }

    function koreanHeader(text) {
        text = text.replace(/\u200b/g, "");
        var found = text.match(/^(\d+) search results? for '(.*)':$/);
        if (found) {
            return "'" + found[2] + "' 검색 결과 " + found[1] + "개:";
        }
        var none = text.match(/^No search results for '(.*)'\.$/);
        return none ? "'" + none[1] + "' 검색 결과가 없습니다." : text;
    }

    // 검사할 수 있게 내보냅니다 · exposed for the browser tests.
    window.bookLanguage = { koreanHeader: koreanHeader };
})();
