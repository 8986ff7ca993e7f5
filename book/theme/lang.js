// 페이지 언어와 언어 전환 · Page language and the language switch.
// Pages live in ko/ and en/ with the same file names, so the other language's page is the same
// file in the sibling folder. Relative links work under `mdbook serve` and on a published site.
(function () {
    "use strict";
    var HANGUL = /[\uac00-\ud7a3]/;

    // 메뉴 막대와 코드 단추의 풍선 도움말, aria-label · tooltips and aria-labels
    var LABELS = {
        "Toggle Table of Contents": "목차 열기·닫기",
        "Table of contents": "목차",
        "Change theme": "테마 바꾸기",
        "Themes": "테마",
        "Search (`/`)": "찾기 (`/`)",
        "Toggle Searchbar": "검색창 열기·닫기",
        "Print this book": "이 책 인쇄하기",
        "Page navigation": "페이지 이동",
        "Previous chapter": "이전 장",
        "Next chapter": "다음 장",
        "Show hidden lines": "숨긴 줄 보기",
        "Hide lines": "숨긴 줄 감추기",
        "Copy to clipboard": "클립보드에 복사",
        "Run this code": "이 코드 실행",
        "Undo changes": "바꾼 것 되돌리기",
        "Search Result Teaser": "검색 결과 미리 보기",
        "Copied!": "복사했습니다!",
        "Clipboard error!": "복사하지 못했습니다!"
    };
    var ENGLISH = {};
    Object.keys(LABELS).forEach(function (k) { ENGLISH[LABELS[k]] = k; });
    var THEMES = {
        Auto: "자동", Light: "밝게", Rust: "러스트", Coal: "석탄", Navy: "남색", Ayu: "아유"
    };

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

    // 표지의 탭 제목은 책 제목 한 번 · the landing page's tab title names the book once
    // (mdBook writes "entry - book title", and the landing page's entry is the book's title).
    var halves = document.title.split(" - ");
    if (halves.length === 2 && halves[0] === halves[1]) {
        document.title = halves[0];
    }

    markCallouts();

    if (lang === "ko") {
        translateInterface();
    }

    // 비유 상자와 "깨지는 곳" 상자의 그림 문자 대신 글꼴이 필요 없는 아이콘(lang.css의 SVG).
    // The analogy and "where it breaks" boxes: instead of their emoji, which render as empty
    // boxes where no emoji font is installed, an icon that needs no font (an SVG in lang.css).
    function markCallouts() {
        var kinds = [["\ud83d\udcde", "callout-phone"], ["\u26a0", "callout-warning"]];
        document.querySelectorAll("blockquote > p:first-child").forEach(function (p) {
            var text = p.firstChild;
            if (!text || text.nodeType !== 3) {
                return;
            }
            kinds.forEach(function (kind) {
                if (text.textContent.indexOf(kind[0]) === 0) {
                    text.textContent = text.textContent.slice(kind[0].length)
                        .replace(/^\ufe0f/, "").replace(/^\s+/, "");
                    p.parentNode.classList.add("callout", kind[1]);
                }
            });
        });
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
        document.querySelectorAll("#mdbook-theme-list button.theme").forEach(function (b) {
            var name = THEMES[b.textContent.trim()];
            if (name) {
                b.textContent = name;
            }
        });
        translateLabels(document.body);
        // mdBook은 단추의 제목을 나중에도 바꿉니다(숨긴 줄 보기/감추기, 복사했습니다, 검색 결과).
        // mdBook changes button titles later too (show/hide lines, "Copied!", search results).
        new MutationObserver(function (changes) {
            changes.forEach(function (c) {
                translateLabels(c.type === "attributes" ? c.target : c.target.parentNode || c.target);
            });
        }).observe(document.body, {
            subtree: true, childList: true, characterData: true,
            attributes: true, attributeFilter: ["title", "aria-label"]
        });
        // 숨긴 줄 단추는 영어 제목을 보고 상태를 정하므로, 누르는 순간에는 영어로 돌려 둡니다.
        // The hidden-lines button decides from its English title, so give it back for the click.
        document.addEventListener("click", function (e) {
            var button = e.target.closest && e.target.closest(".buttons button");
            var english = button && ENGLISH[button.title];
            if (english) {
                button.title = english;
            }
        }, true);
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

    // 바뀔 때만 씁니다 (관찰자가 제 변경에 다시 불려도 멈춥니다).
    // Writes only on a change, so the observer settles after its own writes.
    function translateLabels(root) {
        if (!root || root.nodeType !== 1) {
            return;
        }
        var all = [root].concat(Array.prototype.slice.call(
            root.querySelectorAll("[title], [aria-label], .tooltiptext")));
        all.forEach(function (el) {
            ["title", "aria-label"].forEach(function (attr) {
                var korean = LABELS[el.getAttribute(attr)];
                if (korean) {
                    el.setAttribute(attr, korean);
                }
            });
            if (el.classList.contains("tooltiptext") && LABELS[el.textContent]) {
                el.textContent = LABELS[el.textContent];
            }
        });
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
    window.bookLanguage = { koreanHeader: koreanHeader, labels: LABELS };
})();
