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

    // 숨긴 줄 빼기 · Leaving out hidden lines.
    //
    // mdBook은 렌더링된 장에서 색인을 만드는데, 숨긴 줄(`# extern crate anyhow;`, 그리고
    // rustdoc_include가 앵커 밖의 파일 전체를 숨겨 넣은 줄)도 본문에 넣습니다. 색인에는 어느
    // 글이 숨긴 줄인지 표시가 없지만, 같은 목록은 한국어 쪽과 영어 쪽에 똑같이 실리므로(두 언어
    // 페이지는 같은 include를 가집니다) 코드는 두 언어의 절이 길게 함께 가진 글이 됩니다. 그
    // 글을 본문에서 빼면 맞춤과 미리 보기에는 산문만 남습니다.
    // mdBook indexes the rendered chapter, hidden lines included (`# extern crate anyhow;`, and
    // the whole file outside the anchor that rustdoc_include adds as hidden lines). The index
    // does not mark what was hidden, but every listing appears identically on the Korean and the
    // English page (the two have the same includes), so code is text that sections share at
    // length across languages. Taking that text out of the bodies leaves prose for matching
    // and for the result teasers.
    var CODE_START = "\u0000";
    var EXTERN = /(^|\s)(?:extern crate [\w]+;\s*)+/g;
    var MIN_CODE = 120;

    // 두 글이 pa, pb부터 몇 글자나 같은지 · how long two texts agree from pa and pb.
    function agreement(a, pa, b, pb) {
        var max = Math.min(a.length - pa, b.length - pb);
        var lo = 0;
        var step = 64;
        while (lo + step <= max && a.substr(pa + lo, step) === b.substr(pb + lo, step)) {
            lo += step;
            step *= 2;
        }
        for (step = Math.min(step, max - lo); step > 0; step = Math.floor(step / 2)) {
            while (lo + step <= max && a.substr(pa + lo, step) === b.substr(pb + lo, step)) {
                lo += step;
            }
        }
        return lo;
    }

    function removeHiddenCode(index) {
        var docs = index.documentStore.docs;
        var urls = (window.search && window.search.doc_urls) || [];
        var refs = Object.keys(docs);
        var texts = {};
        var starts = {};
        var byKey = {};
        refs.forEach(function (ref) {
            // 숨긴 줄과 보이는 줄은 공백이 다르게 남으므로 먼저 고릅니다.
            // Hidden and visible lines keep different whitespace, so even it out first.
            var text = (docs[ref].body || "").replace(/\s+/g, " ")
                .replace(EXTERN, "$1" + CODE_START);
            var found = [];
            var re = /\u0000|(?:^|\s)\/\//g;
            var m;
            while ((m = re.exec(text)) !== null) {
                var at = m[0] === CODE_START ? m.index : m.index + m[0].length - 2;
                found.push(at);
                var key = text.substr(at, 64);
                (byKey[key] = byKey[key] || []).push({ ref: ref, at: at });
            }
            texts[ref] = text;
            starts[ref] = found;
        });
        var lang = function (ref) { return (urls[ref] || "").slice(0, 3); };
        refs.forEach(function (ref) {
            var text = texts[ref];
            if (starts[ref].length === 0) {
                return;
            }
            var kept = [];
            var from = 0;
            starts[ref].forEach(function (at) {
                if (at < from) {
                    return;
                }
                var group = byKey[text.substr(at, 64)] || [];
                var others = group.filter(function (g) { return g.ref !== ref || g.at !== at; });
                others.sort(function (x, y) {
                    return (lang(x.ref) === lang(ref)) - (lang(y.ref) === lang(ref));
                });
                var run = 0;
                others.slice(0, 4).forEach(function (g) {
                    run = Math.max(run, agreement(text, at, texts[g.ref], g.at));
                });
                // 낱말 중간에서 끝나면 그 낱말은 남깁니다 · a run that ends inside a word keeps it.
                var end = at + run;
                if (end < text.length && !/\s/.test(text[end])) {
                    var space = text.lastIndexOf(" ", end - 1);
                    end = space > at ? space : at;
                }
                var isStart = text[at] === CODE_START;
                if (end - at >= MIN_CODE || isStart) {
                    kept.push(text.slice(from, at));
                    from = Math.max(end, at + (isStart ? 1 : 0));
                }
            });
            kept.push(text.slice(from));
            docs[ref].body = kept.join(" ").split(CODE_START).join(" ").replace(/\s+/g, " ").trim();
        });
    }

    // 영어 낱말이 (숨긴 줄을 뺀) 글에 있는지, 미리 보기가 쓰는 방식 그대로 · whether an English
    // word is in the text without hidden lines, tested the way the teaser tests it.
    function mentions(doc, query) {
        var words = query.toLowerCase().split(/[\s\-]+/).map(function (w) {
            return w.replace(/^\W+|\W+$/g, "");
        }).filter(function (w) {
            // elasticlunr도 흔한 낱말("the")은 찾지 않습니다 · elasticlunr skips stop words too.
            return w.length > 0 && !HANGUL.test(w) && window.elasticlunr.stopWordFilter(w);
        });
        if (words.length === 0) {
            return true;
        }
        var text = [doc.title, doc.body, doc.breadcrumbs].join(" ").toLowerCase();
        var tokens = text.split(/[\s\-]+/);
        return words.some(function (w) {
            var stem = window.elasticlunr.stemmer(w);
            var head = stem.slice(0, 3);
            return text.indexOf(head) !== -1 && tokens.some(function (t) {
                return t.indexOf(head) !== -1 &&
                    window.elasticlunr.stemmer(t.replace(/^\W+|\W+$/g, "")).indexOf(stem) === 0;
            });
        });
    }

    var original = window.elasticlunr.Index.prototype.search;
    window.elasticlunr.Index.prototype.search = function (query, config) {
        if (!this.hiddenCodeRemoved) {
            removeHiddenCode(this);
            this.hiddenCodeRemoved = true;
        }
        var docs = this.documentStore.docs;
        var results = original.call(this, query, config).filter(function (r) {
            return mentions(docs[r.ref], query);
        });
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
    window.koreanSearch = {
        stripParticle: stripParticle, koreanTerms: koreanTerms, agreement: agreement
    };
})();
