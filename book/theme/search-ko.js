// 한국어 검색 · Korean search, and the reader's language first.
//
// mdBook's search index (elasticlunr) keeps no Hangul: its trimmer strips every character that
// is not an ASCII word character, so "소켓을" becomes "" and is never indexed. The index's
// document store still holds each section's text, so for words with Hangul we search that text
// directly: a word matches where it appears, and a Korean particle stuck to the word in the
// query ("소켓을", "소켓은") is taken off first, so both find "소켓". English words go through
// elasticlunr as before. Results from the reader's language come first.
(function () {
    "use strict";
    if (!window.elasticlunr) {
        return;
    }

    // 긴 것부터: "에서는"이 "는"보다 먼저 · longest first, so "에서는" wins over "는".
    var PARTICLES = [
        "에서는", "에서도", "으로는", "으로도", "이라는", "이라고", "에게서", "까지는",
        "에서", "에게", "으로", "라는", "라고", "까지", "부터", "처럼", "보다", "이나", "이란",
        "와", "과", "은", "는", "이", "가", "을", "를", "에", "의", "도", "만", "로", "나", "란"
    ];
    var HANGUL = /[\uac00-\ud7a3]/;

    function stripParticle(word) {
        for (var i = 0; i < PARTICLES.length; i++) {
            var p = PARTICLES[i];
            // 한 글자 이상은 남깁니다 · keep at least one syllable of the word itself.
            if (word.length > p.length && word.slice(-p.length) === p) {
                return word.slice(0, -p.length);
            }
        }
        return word;
    }

    function koreanTerms(query) {
        return query.toLowerCase().split(/\s+/).filter(function (w) {
            return HANGUL.test(w);
        }).map(function (w) {
            return stripParticle(w.replace(/^[^\uac00-\ud7a3\w]+|[^\uac00-\ud7a3\w]+$/g, ""));
        }).filter(function (w) {
            return w.length > 0;
        });
    }

    function count(text, term) {
        var n = 0;
        for (var at = text.indexOf(term); at !== -1; at = text.indexOf(term, at + term.length)) {
            n++;
        }
        return n;
    }

    // 모든 한국어 낱말이 들어 있는 절 · sections containing every Korean word.
    function searchHangul(index, terms) {
        var docs = index.documentStore.docs;
        var found = [];
        Object.keys(docs).forEach(function (ref) {
            var doc = docs[ref];
            var title = (doc.title || "").toLowerCase();
            var body = (doc.body || "").toLowerCase();
            var score = 0;
            for (var i = 0; i < terms.length; i++) {
                var hits = 2 * count(title, terms[i]) + count(body, terms[i]);
                if (hits === 0) {
                    return;
                }
                score += hits;
            }
            found.push({ ref: ref, score: score, doc: doc });
        });
        return found;
    }

    function readerLanguage() {
        var m = window.location.pathname.match(/\/(ko|en)\/[^/]*$/);
        return m ? m[1] : document.documentElement.lang;
    }

    var original = window.elasticlunr.Index.prototype.search;
    window.elasticlunr.Index.prototype.search = function (query, config) {
        var results = original.call(this, query, config);
        var terms = koreanTerms(query);
        if (terms.length > 0) {
            var byRef = {};
            results.forEach(function (r) { byRef[r.ref] = r; });
            searchHangul(this, terms).forEach(function (r) {
                if (byRef[r.ref]) {
                    byRef[r.ref].score += r.score;
                } else {
                    results.push(r);
                }
            });
        }
        var urls = (window.search && window.search.doc_urls) || [];
        var lang = readerLanguage() + "/";
        var mine = function (r) {
            return (urls[r.ref] || "").indexOf(lang) === 0 ? 0 : 1;
        };
        return results.sort(function (a, b) {
            return mine(a) - mine(b) || b.score - a.score;
        });
    };

    // ?search=… 주소로 들어오면 색인이 이 스크립트보다 먼저 읽혀 첫 검색이 위 함수를 거치지 않을 수
    // 있습니다. 그랬다면 한 번 더 검색합니다. mdBook은 같은 말을 두 번 검색하지 않으므로 보이지 않는
    // 문자(U+200B)를 붙였다가 주소와 결과 링크에서 다시 뗍니다.
    // Arriving at a ?search=… address, the index may load before this script, so the first
    // search missed the function above. Then search again: mdBook skips a repeated term, so a
    // zero-width space makes it differ, and is removed again from the address and result links.
    function searchAgainIfMissed() {
        var bar = document.getElementById("mdbook-searchbar");
        var term = bar ? bar.value.trim() : "";
        if (!term || !(window.search && window.search.index)) {
            return;
        }
        bar.value = term + "\u200b";
        bar.dispatchEvent(new KeyboardEvent("keyup"));
        bar.value = term;
        var clean = function (url) { return url.replace(/%E2%80%8B/gi, ""); };
        history.replaceState(history.state, "", clean(window.location.href));
        document.querySelectorAll("#mdbook-searchresults a").forEach(function (a) {
            a.setAttribute("href", clean(a.getAttribute("href")));
        });
    }
    searchAgainIfMissed();

    // 검사할 수 있게 내보냅니다 · exposed for the browser tests.
    window.koreanSearch = { stripParticle: stripParticle, koreanTerms: koreanTerms };
})();
