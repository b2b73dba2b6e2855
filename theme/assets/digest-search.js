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
// How long the whole index waits for a first query to the newest part before loading.
const WHOLE_AFTER = 1000;

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
  let engine = null;
  let first = null; // the Pagefind instance, once it holds the newest part
  let newest = null; // the same, to answer from that part alone (null when it is the only one)
  let merging = false; // the other parts are going into it: it no longer holds that part alone
  let facetsReady = null; // Pagefind's filters(), once asked for
  let facetsDone = false;
  let seq = 0; // the latest search; older answers are dropped
  let searching = Promise.resolve(); // the search under way
  let results = [];
  let shown = 0;
  let parts = []; // the index's parts, newest first
  let startWhole; // lets the whole index load (see loadEngine)
  const wholeMayStart = new Promise((resolve) => {
    startWhole = resolve;
  });

  // The index comes in parts, newest first (digest/search.py). Results are listed
  // newest first, so the newest part's come first: a Pagefind instance is started on
  // that part alone and answers the first query with it, and the other parts are
  // merged into it only then (or after WHOLE_AFTER ms without a query): their
  // decoding and searching would hold up that answer on the one main thread. The
  // main thread is quicker to the first result than Pagefind's shared worker.
  function loadEngine() {
    if (!engine) {
      // The tag Pagefind puts on each entry file's URL so that no cache serves an old
      // one: chosen once per page here, so that prefetch() fetches the same URLs.
      const tag = String(Date.now());
      const options = { excerptLength: EXCERPT_WORDS, metaCacheTag: tag, noWorker: true };
      const listed = fetch(`${bundle}parts.json`).then((response) => response.json());
      const fetched = listed.then((names) => prefetch(names, tag, true));
      first = Promise.all([import(`${bundle}pagefind.js`), listed, fetched]).then(
        async ([pagefind, names]) => {
          parts = names;
          const instance = pagefind.createInstance({ ...options, basePath: `${bundle}${names[0]}/` });
          await instance.init();
          return instance;
        },
      );
      // With one part, the first answer is the whole one.
      newest = first.then((instance) => (parts.length > 1 ? instance : null));
      newest.then((instance) => (instance ? setTimeout(startWhole, WHOLE_AFTER) : startWhole()), startWhole);
      const others = Promise.all([listed, wholeMayStart]).then(([names]) => prefetch(names, tag, false));
      engine = Promise.all([first, others]).then(async ([instance]) => {
        merging = true;
        await Promise.all(
          parts.slice(1).map((name, i) =>
            instance.mergeIndex(`${bundle}${name}/`, { ...options, indexWeight: 1 + (i + 1) * PART_STEP }),
          ),
        );
        return instance;
      });
    }
    return engine;
  }

  // Pagefind reads a part's entry file, then its metadata and WebAssembly, one after
  // the other, once pagefind.js has run; a merged part starts only when the first
  // part's WebAssembly is ready. Fetched here as soon as the part names are known,
  // the same files then come from the browser's cache: a first result waits for
  // fewer round trips. The newest part's files come first and alone, and Pagefind
  // starts on them once they are in (two requests for one file, both before it is
  // cached, would both go to the server); the other parts' files when the whole
  // index may load, and they are merged once those are in. Bodies are read so that
  // each lands whole. Settles when the files are in, or failed (then Pagefind
  // fetches them itself).
  function prefetch(names, tag, newestOnly) {
    const get = (url) => fetch(url).then((response) => response.arrayBuffer());
    const part = (name, withWasm) =>
      fetch(`${bundle}${name}/pagefind-entry.json?ts=${tag}`)
        .then((response) => response.json())
        .then((entry) => Promise.all(
          Object.values(entry.languages || {}).flatMap((language) => [
            get(`${bundle}${name}/pagefind.${language.hash}.pf_meta`),
            // Merged parts use the first part's WebAssembly.
            ...(withWasm ? [get(`${bundle}${name}/wasm.${language.wasm || "unknown"}.pagefind`)] : []),
          ]),
        ))
        .catch(() => {});
    if (newestOnly) return part(names[0], true);
    return Promise.all(names.slice(1).map((name) => part(name, false)));
  }

  // Results of a search sorted by date, newest first across the parts: by part
  // (newest first, read back from the weight), then by score within the part.
  // The one page a part scores 0 (its oldest) has no weight to read: its part is
  // the first whose period (named by its first day) starts on or before its date.
  async function inDateOrder(found) {
    const partOf = new Map();
    const unplaced = [];
    for (const result of found) {
      const place = Math.round(result.score);
      if (place) partOf.set(result, Math.round((result.score / place - 1) / PART_STEP));
      else unplaced.push(result);
    }
    const starts = parts.map((name) => name.slice(0, 10));
    await Promise.all(
      unplaced.map(async (result) => {
        const date = ((await result.data()).meta || {}).date || "";
        const part = starts.findIndex((start) => /^\d{4}-/.test(start) && start <= date);
        partOf.set(result, part < 0 ? starts.length : part);
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
        loadEngine().catch(() => {});
        first.then((pagefind) => mine === seq && pagefind.preload(query)).catch(() => {});
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
    const loading = loadEngine();
    // The newest part's results lead the list: shown as soon as that part answers.
    const early = newest
      .then((instance) => instance && !merging && mine === seq && instance.search(query || null, options))
      .then((search) => search && search.results.length && mine === seq
        ? showEarly(mine, search.results) : 0)
      .catch(() => 0);
    early.then(startWhole);
    let pagefind;
    try {
      pagefind = await loading;
    } catch (err) {
      if (mine === seq) say("Search is not available here: it is built by `digest build`.");
      return;
    }
    // One search at a time, and only the latest query: typing "OPEC" searches
    // "OP" and then "OPEC", not three times over. The newest part's answer first:
    // the whole index's search would compete with it for the main thread.
    await searching;
    await early;
    if (mine !== seq) return;
    const pending = pagefind.search(query || null, options);
    searching = pending.catch(() => null);
    const search = await pending;
    if (mine !== seq || !search) return;
    const ordered = await inDateOrder(search.results);
    const kept = await early; // the first of these, in this order
    if (mine !== seq) return;
    results = ordered;
    shown = kept;
    if (!shown) list.replaceChildren();
    say(count(results.length));
    const counted = facetsDone;
    if (counted) renderFacets(search.filters || {});
    await renderMore(mine, PAGE);
    if (counted || mine !== seq) return;
    // Facet counts need Pagefind's filter index: fetched after the first results, not before.
    facetsReady = facetsReady || pagefind.filters();
    await facetsReady;
    facetsDone = true;
    if (mine !== seq) return;
    const again = await pagefind.search(query || null, options);
    if (mine === seq && again) renderFacets(again.filters || {});
  }

  // The first results, from the newest part alone, before the whole list is in;
  // how many are shown.
  async function showEarly(mine, found) {
    results = found;
    shown = 0;
    list.replaceChildren();
    facets.replaceChildren();
    facets.hidden = true;
    moreButton.hidden = true;
    await renderMore(mine, PAGE, false);
    return list.children.length;
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
    loadEngine().catch(() => {});
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

  // Start Pagefind (its script, WebAssembly and metadata: about 130 KB, cached across
  // pages) at the reader's first move (window.__digest_awake, theme/main.html) once the
  // page has loaded and painted, so that a query only waits for its own index chunk. Not
  // before the first paint: its downloads and decoding would hold up the page's text
  // (Lighthouse counted them into the largest paint: 3.1 s instead of 1.3 s). Not
  // straight after it either: on a phone its compiling and decoding are main-thread
  // tasks of 100 ms and more while the page is still settling (Lighthouse's total
  // blocking time), for a search most visits never make.
  Promise.all([afterLoadAndPaint(), window.__digest_awake]).then(() => loadEngine().catch(() => {}));
}

function afterLoadAndPaint() {
  const loaded = new Promise((resolve) => {
    if (document.readyState === "complete") resolve();
    else window.addEventListener("load", resolve, { once: true });
  });
  const painted = new Promise((resolve) => {
    const types = (window.PerformanceObserver && PerformanceObserver.supportedEntryTypes) || [];
    if (!types.includes("paint")) return resolve();
    new PerformanceObserver((list, observer) => {
      if (list.getEntriesByName("first-contentful-paint").length) {
        observer.disconnect();
        resolve();
      }
    }).observe({ type: "paint", buffered: true });
  });
  return Promise.all([loaded, painted]);
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
