// The search box's worker: Material's own (named after the "#" of this script's address by overrides/main.html),
// with each query first matched to the words the index holds, so that what readers type finds something:
// stop words go ("what is", "of"), a word the index lacks becomes the index's words one edit away (a typo, or a
// spelling the index does not hold) and its stem (plurals, -ing, -ed). Material then searches as it always does.
//
// A large site's search_index.json holds titles, other names and summaries only (generator/searchindex.py), and
// names the whole index (config.full_index). Building even that small index takes seconds at 5,000 entries, so
// this worker answers the first queries by reading those fields word by word, and at the first query starts a
// second worker ("?tier=full") that fetches and builds the whole index; from then on that one answers, and the
// last query is asked of it again, so the results shown improve by themselves.
(function () {
  "use strict";

  var SETUP = 0; // Material's SearchMessageType
  var READY = 1;
  var QUERY = 2;
  var RESULT = 3;
  var FULL_SETUP = "kb-full-index"; // this worker to its second: fetch the whole index and build it
  var INDEX_FILE = /^[\w-]+\.json$/;
  var THEME_WORKER = /^assets\/javascripts\/workers\/search\.[0-9a-f]+\.min\.js$/;
  var SYNTAX = /[+~^*:"]|(^|\s)-/; // lunr's query syntax: a reader who types it gets exactly that
  var ENDINGS = ["ies", "es", "s", "ing", "ed", "ers", "er"]; // longest first within each family
  var index = null; // the lunr index Material builds, once built
  var fullFile = null; // the whole index's file, on a large site
  var options = null; // Material's search options, for the second worker
  var full = null; // the second worker, once started
  var fullReady = false;
  var lastQuery = null; // asked again of the whole index when it is ready
  var quickDocs = null; // a large site's titles, names and summaries, read word by word until the whole index is
  var QUICK_RESULTS = 50;

  var theme = decodeURIComponent(self.location.hash.slice(1));
  if (!THEME_WORKER.test(theme)) throw new Error("search-worker.js: no theme worker named after '#'");

  // Registered before Material's listener, so it rewrites the query Material then reads.
  self.addEventListener("message", function (event) {
    var message = event.data || {};
    if (message.type === QUERY && typeof message.data === "string") {
      lastQuery = message.data;
      if (fullReady) {
        event.stopImmediatePropagation(); // the second worker answers
        full.postMessage(message);
        return;
      }
      if (fullFile && !full) startFull();
      if (quickDocs) {
        event.stopImmediatePropagation();
        self.postMessage({ type: RESULT, data: quickSearch(message.data) });
        return;
      }
      if (index) message.data = rewrite(message.data);
    } else if (message.type === SETUP) {
      index = null;
      options = message.data.options;
      var file = message.data.config.full_index;
      fullFile = typeof file === "string" && INDEX_FILE.test(file) ? file : null;
      if (fullFile) {
        event.stopImmediatePropagation(); // nothing for Material to build: the second worker builds the index
        quickDocs = message.data.docs;
        lunr.tokenizer.separator = new RegExp(message.data.config.separator);
        self.postMessage({ type: READY });
      }
    } else if (message.type === FULL_SETUP) {
      event.stopImmediatePropagation(); // not a message Material knows
      setUpWhole(message);
    }
  });

  self.importScripts(new URL("../" + theme, self.location.href).href);

  var lunr = self.lunr;
  var build = lunr.Builder.prototype.build;
  lunr.Builder.prototype.build = function () {
    index = build.call(this);
    return index;
  };

  // Results from the titles, names and summaries alone, in the shape of Material's (one document per page):
  // pages holding more of the query's words first, a word in the title or names counting thrice, then by boost.
  function quickSearch(query) {
    var words = query.toLowerCase().split(lunr.tokenizer.separator).filter(meaningful);
    var found = [];
    quickDocs.forEach(function (doc) {
      var named = (doc.title + " " + (doc.names || "")).toLowerCase();
      var text = (doc.text || "").toLowerCase();
      var terms = {};
      var score = 0;
      words.forEach(function (word) {
        var weight = startsWord(named, word) ? 3 : startsWord(text, word) ? 1 : 0;
        terms[word] = weight > 0;
        score += weight;
      });
      if (score > 0) found.push({ location: doc.location, title: doc.title, text: doc.text, score: score * (doc.boost || 1), terms: terms });
    });
    found.sort(function (a, b) {
      return b.score - a.score;
    });
    return { items: found.slice(0, QUICK_RESULTS).map(function (item) { return [item]; }) };
  }

  // Whether a word of the text begins with the given one.
  function startsWord(text, word) {
    var at = text.indexOf(word);
    while (at >= 0) {
      if (at === 0 || /[\s\-(\u201c"'/]/.test(text[at - 1])) return true;
      at = text.indexOf(word, at + 1);
    }
    return false;
  }

  // Start the second worker, which builds the whole index; relay its results once it is ready.
  function startFull() {
    var address = new URL(self.location.href);
    address.search = "?tier=full";
    full = new Worker(address.href);
    full.onmessage = function (event) {
      if (event.data.type === READY) {
        fullReady = true;
        quickDocs = null;
        if (lastQuery !== null) full.postMessage({ type: QUERY, data: lastQuery }); // better results for it
      } else if (event.data.type === RESULT) {
        self.postMessage(event.data);
      }
    };
    var file = new URL("../search/" + fullFile, self.location.href).href;
    full.postMessage({ type: FULL_SETUP, file: file, options: options });
  }

  // In the second worker: fetch the whole index and hand it to Material's setup, as the page does its index.
  function setUpWhole(message) {
    fetch(message.file)
      .then(function (response) {
        return response.json();
      })
      .then(function (data) {
        var setup = { type: SETUP, data: { config: data.config, docs: data.docs, options: message.options } };
        self.dispatchEvent(new MessageEvent("message", { data: setup }));
      });
  }

  // The query as words the index holds, each word's alternatives side by side (the query is an OR of terms);
  // the parts of a hyphenated word ("self-study") are all required, when the index holds each of them.
  function rewrite(query) {
    if (SYNTAX.test(query)) return query;
    var terms = [];
    query.toLowerCase().split(/\s+/).forEach(function (word) {
      var parts = word.split(lunr.tokenizer.separator).filter(meaningful);
      if (parts.length > 1 && parts.every(begins)) {
        parts.forEach(function (part) {
          terms.push("+" + part + "*");
        });
      } else {
        parts.forEach(function (part) {
          terms.push(alternatives(part));
        });
      }
    });
    return terms.length ? terms.join(" ") : query;
  }

  // Whether a word says something: not empty, not a stop word ("what", "is", "of").
  function meaningful(word) {
    return word !== "" && lunr.stopWordFilter(word) !== undefined;
  }

  // A word the index holds (or begins) stays; otherwise its stems and the index's words one edit away.
  function alternatives(word) {
    if (begins(word)) return [word].concat(stems(word)).join(" ");
    var found = stems(word);
    if (word.length >= 4) found = found.concat(nearby(word));
    found = found.filter(function (term, i) {
      return found.indexOf(term) === i;
    });
    return found.length ? found.slice(0, 6).join(" ") : word;
  }

  // Shorter forms of a word that begin words of the index: "touchpoints" -> "touchpoint", "keeping" -> "keep".
  function stems(word) {
    var found = [];
    ENDINGS.forEach(function (ending) {
      var stem = word.slice(0, -ending.length);
      if (word.length - ending.length >= 4 && word.endsWith(ending)) {
        if (ending === "ies") stem += "y";
        if (begins(stem) && found.indexOf(stem) < 0) found.push(stem);
      }
    });
    return found;
  }

  // Whether some word of the index begins with this one.
  function begins(word) {
    return index.tokenSet.intersect(lunr.TokenSet.fromString(word + "*")).toArray().length > 0;
  }

  // The index's words one insertion, deletion, substitution or swap away, the most widely used first.
  function nearby(word) {
    var terms = index.tokenSet.intersect(lunr.TokenSet.fromFuzzyString(word, 1)).toArray();
    return terms
      .filter(function (term) {
        return term.length >= 3;
      })
      .sort(function (a, b) {
        return postings(b) - postings(a);
      });
  }

  // How many documents hold a word, in any field.
  function postings(term) {
    var entry = index.invertedIndex[term] || {};
    var total = 0;
    Object.keys(entry).forEach(function (field) {
      if (field !== "_index") total += Object.keys(entry[field]).length;
    });
    return total;
  }
})();
