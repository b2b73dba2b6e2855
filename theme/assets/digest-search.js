// Digest's search: Material's search box, served by Pagefind (digest/search.py).
//
// The markup is Material's (theme/partials/search.html), so Material's CSS
// places and styles it, light and dark; this module does what Material's
// search code would: "/", "s" and "f" open it, Esc closes it, the arrow keys
// walk the results, Enter opens the first. Results come from Pagefind's JS API
// (pagefind/pagefind.js, loaded on demand from this site, relative to its base),
// and can be narrowed by facets: person, place, topic, year.
//
// Everything from the index is put into the page as text (or <mark> around a
// hit), never as HTML: article titles and text are data.

const FACETS = [
  ["person", "Person"],
  ["place", "Place"],
  ["topic", "Topic"],
  ["year", "Year"],
];
const FACET_VALUES = 8; // values shown per facet, besides the selected ones
const PAGE = 10; // results rendered at a time
const EXCERPT_WORDS = 28;
// One letter matches most of the digest and costs Pagefind more than any other query;
// waiting for the second keeps the first real result early.
const MIN_QUERY = 2;
// Pagefind's mergeIndex orders merged results by score, and a search sorted by
// date scores a page by its place in its own part of the index, so the parts
// would interleave. Each merged part gets a weight a hair above 1, too small to
// change a ranking, that tells the parts apart again (see inDateOrder).
const PART_STEP = 2 ** -30;
// ms between two checks whether Pagefind has loaded its first part (see loaded).
const PROBE = 5;
// Parts in the first batch merged after the newest; each batch after it is twice
// as large (see mergeRest).
const FIRST_BATCH = 2;

const root = document.querySelector("[data-digest-search]");
const toggle = document.getElementById("__search");
if (root && toggle) setUp(root, toggle);

function setUp(root, toggle) {
  const form = root.querySelector("form");
  const input = root.querySelector(".md-search__input");
  const meta = root.querySelector(".md-search-result__meta");
  const facets = root.querySelector(".digest-facets");
  const list = root.querySelector(".md-search-result__list");
  const moreButton = root.querySelector(".digest-search-more");
  const placeholder = meta.textContent.trim();

  // Material's base_url: relative to this page ("." or "../.."), so the site works under any path.
  let base = ".";
  try {
    base = JSON.parse(document.getElementById("__config").textContent).base || ".";
  } catch (err) {
    // keep "."
  }
  base = base.replace(/\/$/, "");
  const bundle = new URL(`${base}/pagefind/`, location.href).href;

  const selected = new Map(FACETS.map(([key]) => [key, new Set()]));
  let engine = null; // the Pagefind instance, once it holds the newest part
  let whole = null; // the same, once it holds every part
  let held = 0; // how many of the parts, newest first, it holds
  let grew = () => {};
  let grown = new Promise((resolve) => {
    grew = resolve;
  }); // settles when it takes in the next batch of parts
  let turn = Promise.resolve(); // searches and merges take turns (see exclusive)
  let markAnswered = () => {};
  // Settles once the newest part has answered a first query: only then are the
  // other parts fetched and merged, so that their requests and decoding do not
  // hold up that answer's results (nor download anything for a page never searched).
  const answered = new Promise((resolve) => {
    markAnswered = resolve;
  });
  let facetsReady = null; // Pagefind's filters(), once asked for
  let facetsDone = false;
  let seq = 0; // the latest search; older answers are dropped
  let results = [];
  let shown = 0;
  // The tag Pagefind puts on each entry file's URL so that no cache serves an old
  // one: chosen once per page here, so that prefetch() fetches the same URLs.
  const tag = String(Date.now());
  const options = { excerptLength: EXCERPT_WORDS, metaCacheTag: tag };
  let files = null; // what Pagefind starts from, fetched (see fetchFiles)
  let script = null; // pagefind.js, imported (see fetchFiles)
  let listed = null; // parts.json: the index's parts, newest first (digest/search.py)
  let parts = []; // their names
  let warmed = null; // the newest part's index chunks, fetched (see warm)
  const partOfPage = new Map(); // result id: its part, where its score does not tell (see inDateOrder)

  // The index comes in parts, newest first (digest/search.py), and results are
  // listed newest first. One Pagefind instance starts on the newest part alone and
  // takes in the others after it, newest first, a batch at a time (mergeRest): a
  // query is answered from the parts held so far, so the first results wait only
  // for the parts before the first that has a hit, not for the whole index. The
  // main thread is quicker to the first result than Pagefind's shared worker.
  function loadEngine() {
    if (!engine) {
      fetchFiles();
      // While the files come in, the main thread is free: what a first search does
      // once per page and needs no file is done now, off the path to the first result.
      setTimeout(warmUp);
      engine = Promise.all([listed, script, files]).then(
        async ([list, pagefind]) => {
          parts = list.map((part) => part.name);
          // noWorker is createInstance's alone: Pagefind warns about it in a merge's options.
          const instance = pagefind.createInstance({
            ...options, noWorker: true, basePath: `${bundle}${parts[0]}/`,
          });
          await loaded(instance);
          held = 1;
          return instance;
        },
      );
      whole = Promise.all([engine, listed, answered])
        .then(([instance, list]) => mergeRest(instance, list.slice(1)));
      // A part that fails to load fails the searches waiting for it (see run).
      whole.catch(() => {}).then(() => grew());
    }
    return engine;
  }

  // The parts after the newest, merged newest first in batches of FIRST_BATCH, then
  // twice as many each time: a word the newest part lacks is found in the first
  // few without waiting for the rest, and the whole index takes few batches (each
  // batch costs every query waiting on it one more search). A batch's files are
  // fetched while the batch before it is merged.
  async function mergeRest(instance, rest) {
    const batches = [];
    for (let start = 0, size = FIRST_BATCH; start < rest.length; start += size, size *= 2) {
      batches.push(rest.slice(start, start + size));
    }
    let next = batches.length ? prefetch(batches[0], false) : null;
    for (const [k, batch] of batches.entries()) {
      await next;
      next = k + 1 < batches.length ? prefetch(batches[k + 1], false) : null;
      const from = held;
      await exclusive(async () => {
        await Promise.all(batch.map((part, i) => instance.mergeIndex(
          `${bundle}${part.name}/`, { ...options, indexWeight: 1 + (from + i) * PART_STEP })));
        held += batch.length;
      });
      const done = grew;
      grown = new Promise((resolve) => {
        grew = resolve;
      });
      done();
    }
    return instance;
  }

  // Settles once the instance has loaded its part. Pagefind's init() resolves
  // before that, and a search asked for earlier checks for it at once and then
  // every 50 ms: one asked for at the start waits 50 ms at least, though loading
  // takes 20 to 90. Probes (an empty preload: nothing to do once loaded) started
  // PROBE ms apart over the first 100 ms, each checking at its start and 50 ms
  // later, see it loaded within PROBE ms of it, whenever it is.
  function loaded(instance) {
    return Promise.any(Array.from({ length: 100 / PROBE }, (_, i) => i * PROBE).map((delay) =>
      new Promise((resolve) => setTimeout(resolve, delay)).then(() => instance.preload(""))));
  }

  // Runs task once the search or merge before it has finished. Pagefind searches
  // every part merged so far, and waits for one still loading: a search between
  // two batches answers from the parts held, at once.
  function exclusive(task) {
    const result = turn.then(task);
    turn = result.catch(() => {});
    return result;
  }

  // The list of the index's parts (a few KB). Asked of the server each time (it
  // answers 304 when unchanged): a copy cached from before the site was last
  // published would name parts that are gone.
  function listParts() {
    listed = listed || fetch(`${bundle}parts.json`, { cache: "no-cache", priority: "low" })
      .then((response) => response.json());
    return listed;
  }

  // The files Pagefind starts from: pagefind.js, imported (run once it is in, while
  // the others are still on their way), and the newest part's entry, metadata and
  // WebAssembly, fetched but not run (about 130 KB in all, cached across pages).
  // Settles when they are in, or failed.
  function fetchFiles() {
    if (!files) {
      script = import(`${bundle}pagefind.js`);
      files = Promise.all([
        script.catch(() => {}),
        listParts().then((list) => prefetch(list.slice(0, 1), true), () => {}),
      ]);
    }
    return files;
  }

  // Pagefind reads a part's entry file, then its metadata (and WebAssembly, for the
  // newest part; merged parts use its WebAssembly), one after the other, once
  // pagefind.js has run. parts.json names them all, so they are fetched here at
  // once, and Pagefind then finds them in the browser's cache. Pagefind starts on
  // a part only once they are in (two requests for one file, both before it is
  // cached, would both go to the server). Settles when the files are in, or failed
  // (then Pagefind fetches them itself).
  function prefetch(list, withWasm) {
    return Promise.all(list.flatMap(({ name, languages }) => [
      fetchWhole(`${bundle}${name}/pagefind-entry.json?ts=${tag}`),
      ...Object.values(languages || {}).flatMap((language) => [
        fetchWhole(`${bundle}${name}/pagefind.${language.hash}.pf_meta`),
        ...(withWasm ? [fetchWhole(`${bundle}${name}/wasm.${language.wasm || "unknown"}.pagefind`)] : []),
      ]),
    ]));
  }

  // What Pagefind's first search does before it reads an index, and costs only the
  // first time in a page: the browser loads its text-segmentation, case and
  // normalisation data (15 to 25 ms on a desktop). The same calls on a word, once.
  function warmUp() {
    const language = document.documentElement.lang || "en";
    try {
      for (const { segment } of new Intl.Segmenter(language, { granularity: "grapheme" }).segment("Ab")) {
        /^\p{Pd}|\p{Pe}|\p{Pf}|\p{Pi}|\p{Po}|\p{Ps}$/u.test(segment);
        segment.toLocaleLowerCase().normalize("NFD").replace(/\p{M}/gu, "");
      }
    } catch (err) {
      // a browser without Intl.Segmenter: Pagefind does without it too
    }
  }

  // Once the search is open, the newest part's index chunks too (a few of about
  // 30 KB): the first query then waits for none. Not at a first move elsewhere: a
  // page visit that never searches does not need them. Asked for once the files
  // Pagefind starts from are in, not beside them: they are needed only after it
  // has started, and would share the connection with them.
  function warm() {
    loadEngine().catch(() => {});
    warmed = warmed || Promise.all([listed, files])
      .then(([list]) => Promise.all((list[0].index || []).map(
        (chunk) => fetchWhole(`${bundle}${list[0].name}/index/${chunk}`))))
      .catch(() => {});
  }

  // Results of a search sorted by date, newest first across the parts: by part
  // (newest first, read back from the weight), then by score within the part.
  // The one page a part scores 0 (its oldest) has no weight to read: its part is
  // the first whose period (named by its first day) starts on or before its date,
  // unless the newest part alone answered (`holding` is 1) or it was placed before.
  async function inDateOrder(found, holding) {
    const partOf = new Map();
    const unplaced = [];
    for (const result of found) {
      const place = Math.round(result.score);
      if (place) partOf.set(result, Math.round((result.score / place - 1) / PART_STEP));
      else if (holding === 1) partOf.set(result, 0);
      else if (partOfPage.has(result.id)) partOf.set(result, partOfPage.get(result.id));
      else unplaced.push(result);
    }
    const starts = parts.map((name) => name.slice(0, 10));
    await Promise.all(
      unplaced.map(async (result) => {
        const date = ((await result.data()).meta || {}).date || "";
        const part = starts.findIndex((start) => /^\d{4}-/.test(start) && start <= date);
        partOf.set(result, part < 0 ? starts.length : part);
        partOfPage.set(result.id, partOf.get(result));
      }),
    );
    return found.slice().sort((a, b) => partOf.get(a) - partOf.get(b) || b.score - a.score);
  }

  function setToggle(value) {
    if (toggle.checked !== value) {
      toggle.checked = value;
      toggle.dispatchEvent(new CustomEvent("change"));
    }
  }

  function filters() {
    const chosen = {};
    for (const [key, values] of selected) if (values.size) chosen[key] = [...values];
    return chosen;
  }

  function say(text) {
    meta.textContent = text;
  }

  function count(n) {
    if (n === 0) return "No matching articles";
    return n === 1 ? "1 matching article" : `${n} matching articles`;
  }

  async function run() {
    const mine = ++seq;
    const query = input.value.trim();
    const chosen = filters();
    const narrowed = Object.keys(chosen).length > 0;
    if (query.length < MIN_QUERY && !narrowed) {
      // Fetch the index chunk of the first letter while the reader types the second,
      // unless they already have: then it would only delay the search they asked for.
      if (query) {
        loadEngine()
          .then((pagefind) => exclusive(() => mine === seq && pagefind.preload(query)))
          .catch(() => {});
      }
      results = [];
      shown = 0;
      list.replaceChildren();
      facets.replaceChildren();
      facets.hidden = true;
      moreButton.hidden = true;
      say(placeholder);
      return;
    }
    const options = { filters: chosen, sort: { date: "desc" } };
    let pagefind;
    try {
      pagefind = await loadEngine();
    } catch (err) {
      if (mine === seq) say("Search is not available here: it is built by `digest build`.");
      return;
    }
    await warmed;
    // Searched again each time a batch of parts comes in, until the whole index has
    // answered. Results are by part, newest first, so those of the parts held so far
    // lead the final list: shown at once, and kept. Only the latest query is
    // searched: typing "OPEC" searches "OP" and then "OPEC", not three times over.
    let drawn = 0; // results of this query in the list
    for (;;) {
      let step = null;
      try {
        // A search and the drawing of its first results take one turn: a batch
        // merged in between would hold up the first result on the main thread.
        step = await exclusive(() => (mine === seq ? answer(mine, pagefind, query, options, drawn) : null));
      } catch (err) {
        step = null;
      }
      markAnswered();
      if (mine !== seq || !step) return;
      if (step.complete) break;
      drawn = step.drawn;
      // Then wait for more of the index: the next batch, or all of it once the
      // first page is full.
      if (drawn >= PAGE) await whole.catch(() => {});
      else if (held === step.holding) await grown;
      if (mine !== seq) return;
      if (held === step.holding) {
        say("Search is not available here: a part of the index did not load.");
        return;
      }
    }
    if (facetsDone) return; // counted with the results (see answer)
    // Facet counts need Pagefind's filter index: fetched after the first results, not before.
    facetsReady = facetsReady || pagefind.filters();
    await facetsReady;
    facetsDone = true;
    if (mine !== seq) return;
    const again = await pagefind.search(query || null, options);
    if (mine === seq && again) renderFacets(again.filters || {});
  }

  // One search of the parts held so far, and the results it adds to the first page
  // after the `drawn` already there; once every part is held, all of them, with
  // their count. Null when a newer query came meanwhile.
  async function answer(mine, pagefind, query, options, drawn) {
    const holding = held;
    const complete = holding === parts.length;
    const search = await pagefind.search(query || null, options);
    if (mine !== seq) return null;
    if (complete || (search.results.length && drawn < PAGE)) {
      const ordered = await inDateOrder(search.results, holding);
      if (mine !== seq) return null;
      results = ordered;
      shown = drawn;
      if (!drawn) {
        list.replaceChildren();
        facets.replaceChildren();
        facets.hidden = true;
        moreButton.hidden = true;
      }
      if (complete) say(count(results.length));
      if (complete && facetsDone) renderFacets(search.filters || {});
      await renderMore(mine, PAGE, complete);
      if (mine !== seq) return null;
      drawn = shown;
    }
    return { holding, complete, drawn };
  }

  // The next page of results, or those up to `end`; `more` shows the button for more.
  async function renderMore(mine, end = shown + PAGE, more = true) {
    const slice = results.slice(shown, end);
    // The first result's fragment first, on its own: it is the one the reader waits for.
    const pending = slice.slice(0, 1).map((result) => result.data());
    if (pending.length) await pending[0].catch(() => {});
    pending.push(...slice.slice(1).map((result) => result.data()));
    shown += slice.length;
    moreButton.hidden = !more || shown >= results.length;
    // Each result appears as soon as it and those before it have arrived.
    for (const data of pending) {
      let item;
      try {
        item = resultItem(await data);
      } catch (err) {
        continue; // a fragment that failed to load: leave that result out
      }
      if (mine !== seq) return;
      list.append(item);
    }
  }

  function resultItem(data) {
    const li = element("li", "md-search-result__item");
    const link = element("a", "md-search-result__link");
    link.href = `${base}${data.raw_url || data.url}`;
    const article = element(
      "article",
      "md-search-result__article md-search-result__article--document md-typeset",
    );
    article.append(element("div", "md-search-result__icon md-icon"));
    const title = element("h1");
    title.textContent = (data.meta && data.meta.title) || data.raw_url || data.url;
    article.append(title);
    // The date and primary topic (digest/pages.py marks the first topic chip as meta).
    const about = [];
    if (data.meta && data.meta.date) about.push(formatDate(data.meta.date));
    if (data.meta && data.meta.topic) about.push(data.meta.topic);
    if (about.length) {
      const when = element("p", "digest-search-result__date");
      when.textContent = about.join(" · ");
      article.append(when);
    }
    const excerpt = element("p");
    appendExcerpt(excerpt, data.excerpt || "");
    article.append(excerpt);
    link.append(article);
    li.append(link);
    return li;
  }

  function renderFacets(counts) {
    const focused = document.activeElement;
    const refocus = focused && focused.dataset && focused.dataset.facet
      ? `${focused.dataset.facet}\u0000${focused.dataset.value}` : null;
    const groups = [];
    for (const [key, label] of FACETS) {
      const values = counts[key] || {};
      const chosen = selected.get(key);
      let names = Object.keys(values).filter((name) => values[name] > 0 || chosen.has(name));
      names.sort(key === "year"
        ? (a, b) => b.localeCompare(a)
        : (a, b) => values[b] - values[a] || a.localeCompare(b));
      const top = names.slice(0, FACET_VALUES);
      for (const name of chosen) if (!top.includes(name)) top.push(name);
      if (!top.length) continue;
      const group = element("div", "digest-facets__group");
      group.setAttribute("role", "group");
      const heading = element("span", "digest-facets__label");
      heading.id = `__digest-facet-${key}`;
      heading.textContent = label;
      group.setAttribute("aria-labelledby", heading.id);
      group.append(heading);
      for (const name of top) {
        const button = element("button", "digest-facet");
        button.type = "button";
        button.dataset.facet = key;
        button.dataset.value = name;
        button.setAttribute("aria-pressed", String(chosen.has(name)));
        button.textContent = name;
        const n = element("span", "digest-facet__count");
        n.textContent = String(values[name] || 0);
        n.setAttribute("aria-label", `, ${values[name] || 0} articles`);
        button.append(n);
        group.append(button);
      }
      groups.push(group);
    }
    facets.replaceChildren(...groups);
    facets.hidden = groups.length === 0;
    if (refocus) {
      for (const button of facets.querySelectorAll("button")) {
        if (`${button.dataset.facet}\u0000${button.dataset.value}` === refocus) button.focus();
      }
    }
  }

  facets.addEventListener("click", (ev) => {
    const button = ev.target.closest("button[data-facet]");
    if (!button) return;
    const values = selected.get(button.dataset.facet);
    const name = button.dataset.value;
    if (values.has(name)) values.delete(name);
    else values.add(name);
    button.setAttribute("aria-pressed", String(values.has(name)));
    run();
  });

  moreButton.addEventListener("click", () => {
    const next = list.children.length;
    renderMore(seq).then(() => {
      const link = list.children[next] && list.children[next].querySelector("a");
      if (link) link.focus();
    });
  });

  input.addEventListener("input", run);
  input.addEventListener("focus", () => {
    warm();
    setToggle(true);
  });
  form.addEventListener("submit", (ev) => ev.preventDefault());
  form.addEventListener("reset", () => {
    for (const values of selected.values()) values.clear();
    setTimeout(() => {
      run();
      input.focus();
    });
  });

  toggle.addEventListener("change", () => {
    if (toggle.checked) {
      if (!root.contains(document.activeElement)) input.focus();
    } else if (root.contains(document.activeElement)) {
      document.activeElement.blur();
    }
  });

  // Leaving the dialog with Tab or Shift+Tab closes it, as Material's does.
  root.addEventListener("focusout", (ev) => {
    if (ev.relatedTarget && !root.contains(ev.relatedTarget)) setToggle(false);
  });

  function resultLinks() {
    return [...list.querySelectorAll(".md-search-result__link")];
  }

  window.addEventListener("keydown", (ev) => {
    if (ev.metaKey || ev.ctrlKey || ev.altKey) return;
    const active = document.activeElement;
    if (!toggle.checked) {
      if (["/", "s", "f"].includes(ev.key) && !typing(active)) {
        ev.preventDefault();
        setToggle(true);
        input.focus();
        input.select();
      }
      return;
    }
    switch (ev.key) {
      case "Escape":
        ev.preventDefault();
        setToggle(false);
        break;
      case "Enter":
        if (active === input) {
          ev.preventDefault();
          const first = resultLinks()[0];
          if (first) first.click();
        }
        break;
      case "ArrowDown":
      case "ArrowUp": {
        if (active && active.tagName === "SELECT") return;
        const stops = [input, ...resultLinks()];
        const at = Math.max(0, stops.indexOf(active));
        const step = ev.key === "ArrowUp" ? -1 : 1;
        stops[(at + step + stops.length) % stops.length].focus();
        ev.preventDefault();
        break;
      }
      default:
        // Typing on a result goes back to the query, as in Material.
        if (ev.key.length === 1 && active && active.classList.contains("md-search-result__link")) {
          input.focus();
        }
    }
  });

  // Pagefind is fetched and started (its script run, its WebAssembly and metadata
  // decoded) at the reader's first move (window.__digest_awake, theme/main.html),
  // so that a query only waits for its own index chunk; not for every page view,
  // which would download its 130 KB (and on a phone spend main-thread tasks of
  // 100 ms and more: Lighthouse's total blocking time) for a search most visits
  // never make. Its files are fetched once the page has loaded, so that they take
  // nothing from the page's own; it is started once the page has painted too (its
  // decoding before the first paint would hold up the page's text: Lighthouse
  // counted it into the largest paint, 3.1 s instead of 1.3 s). The list of parts
  // (a few KB, and a 304 when unchanged) is asked for straight away, so that the
  // move asks for the newest part's files at once, in its own event, before the
  // browser lays out what the move changed (opening the search: 30 to 70 ms of
  // style and layout), rather than a round trip and that layout later.
  listParts().catch(() => {});
  const pageIn = pageLoaded();
  Promise.all([pageIn, window.__digest_awake]).then(() => fetchFiles().catch(() => {}));
  Promise.all([pageIn.then(firstPaint), window.__digest_awake])
    .then(() => loadEngine().catch(() => {}));
}

// Settles at the load event (within its own task, if it has not come yet).
function pageLoaded() {
  return new Promise((resolve) => {
    if (document.readyState === "complete") resolve();
    else window.addEventListener("load", resolve, { once: true });
  });
}

// Settles once the page has painted (with a screen, as a rule by its load event).
function firstPaint() {
  return new Promise((resolve) => {
    const types = (window.PerformanceObserver && PerformanceObserver.supportedEntryTypes) || [];
    if (!types.includes("paint") || performance.getEntriesByName("first-contentful-paint").length) {
      resolve();
      return;
    }
    new PerformanceObserver((list, observer) => {
      if (list.getEntriesByName("first-contentful-paint").length) {
        observer.disconnect();
        resolve();
      }
    }).observe({ type: "paint", buffered: true });
  });
}

// A file read to its end (so that it lands in the cache whole); undefined if it failed.
function fetchWhole(url) {
  return fetch(url).then((response) => response.arrayBuffer()).catch(() => {});
}

function typing(el) {
  if (!el) return false;
  return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
}

function element(tag, className) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  return el;
}

// Pagefind's excerpt is HTML-escaped text with <mark> around the hits. It is parsed
// in an inert document (nothing runs or loads there) and copied over as text and marks.
function appendExcerpt(target, html) {
  const doc = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
  for (const node of doc.body.firstChild.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      target.append(mark);
    } else {
      target.append(document.createTextNode(node.textContent));
    }
  }
}

// "7 April 1987", as the pages write dates (digest/pages.py). By hand: the first
// toLocaleDateString loads the browser's date formats, in front of the first result.
const MONTHS = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
];

function formatDate(iso) {
  const found = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const month = found && MONTHS[Number(found[2]) - 1];
  return month ? `${Number(found[3])} ${month} ${found[1]}` : iso;
}
