// The instructor's board: polls /board/data every second and redraws what changed.
// Every learner-supplied value goes through textContent or setAttribute, never parsed as HTML,
// and the Content-Security-Policy forbids inline script: a name cannot become markup.
"use strict";

(function () {
  const POLL_MS = 1000;
  const SYMBOLS = { done: "✓", tried: "✗", opened: "○" };
  const STATE_WORDS = { done: "done", tried: "tried, not yet correct", opened: "checked the stub" };
  const code = decodeURIComponent(location.pathname.split("/")[2] || "");
  const key = takeKey();
  let shownVersion = null;
  let lastOk = 0;

  // The key arrives in the link's #fragment; keep it for this tab and take it off the address
  // bar, which may be on a projector.
  function takeKey() {
    const fromLink = new URLSearchParams(location.hash.slice(1)).get("key");
    if (fromLink) {
      sessionStorage.setItem("classroom-key:" + code, fromLink);
      history.replaceState(null, "", location.pathname);
      return fromLink;
    }
    return sessionStorage.getItem("classroom-key:" + code) || "";
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function byId(id) {
    return document.getElementById(id);
  }

  function duration(seconds) {
    if (seconds < 60) return seconds + " s";
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return minutes + " min";
    return Math.floor(minutes / 60) + " h " + (minutes % 60) + " min";
  }

  function renderGrid(data) {
    const table = byId("grid");
    table.replaceChildren();
    byId("empty").hidden = data.learners.length > 0;
    if (!data.learners.length) return;

    const head = el("thead");
    const groups = el("tr", "notebooks");
    groups.append(el("th", "corner"));
    const perNotebook = {};
    data.exercises.forEach((ex) => { perNotebook[ex.notebook] = (perNotebook[ex.notebook] || 0) + 1; });
    Object.keys(perNotebook).sort().forEach((nb, i) => {
      const th = el("th", "notebook nb" + (i % 2), nb);
      th.colSpan = perNotebook[nb];
      th.title = nb + " · " + (data.notebooks[nb] || "");
      groups.append(th);
    });
    groups.append(el("th", "corner"));
    const names = el("tr", "exercise-names");
    names.append(el("th", "name-head", "learner"));
    data.exercises.forEach((ex) => {
      const th = el("th", "exercise");
      th.append(el("span", null, ex.id));
      th.title = ex.notebook + " · " + ex.title;
      names.append(th);
    });
    names.append(el("th", "checks-head", "checks"));
    head.append(groups, names);

    const body = el("tbody");
    data.learners.forEach((learner) => {
      const row = el("tr");
      row.append(el("th", "name", learner.name));
      data.exercises.forEach((ex) => {
        const cell = learner.cells[ex.key];
        const td = el("td", "cell" + (cell ? " " + cell.state : ""), cell ? SYMBOLS[cell.state] : "");
        td.setAttribute("data-learner", learner.name);
        td.setAttribute("data-exercise", ex.key);
        td.setAttribute("data-state", cell ? cell.state : "none");
        let tip = learner.name + " · " + ex.notebook + " " + ex.id + ": ";
        tip += cell ? STATE_WORDS[cell.state] + ", " + cell.attempts + " check(s)" : "no check yet";
        if (cell && cell.code) tip += ", last diagnosis " + cell.code;
        td.title = tip;
        row.append(td);
      });
      row.append(el("td", "checks", learner.checks));
      body.append(row);
    });
    table.append(head, body);
  }

  function renderExercises(data) {
    const table = byId("exercises");
    table.replaceChildren();
    const head = el("tr");
    [["exercise"], ["done", "num"], ["tried", "num"], ["not started", "num"], [""], ["most common diagnosis"]]
      .forEach(([text, className]) => head.append(el("th", className, text)));
    const thead = el("thead");
    thead.append(head);
    const body = el("tbody");
    const total = Math.max(1, data.learners.length);
    data.exercises.forEach((ex) => {
      const row = el("tr");
      row.setAttribute("data-exercise", ex.key);
      const name = el("td", "ex-name");
      name.append(el("span", "ex-nb", ex.notebook), el("span", "ex-id", ex.id), el("span", "ex-title", ex.title));
      row.append(name, el("td", "num", ex.done), el("td", "num", ex.tried), el("td", "num", ex.not_started));
      const bar = el("td", "bar");
      const track = el("div", "track");
      const done = el("div", "fill done");
      const tried = el("div", "fill tried");
      done.style.width = (100 * ex.done / total) + "%";
      tried.style.width = (100 * ex.tried / total) + "%";
      track.append(done, tried);
      bar.append(track);
      row.append(bar);
      const common = el("td", "common");
      if (ex.common_code) {
        common.append(el("code", null, ex.common_code), el("span", "muted", " × " + ex.common_count));
      }
      row.append(common);
      body.append(row);
    });
    table.append(thead, body);
  }

  function renderStuck(data) {
    const list = byId("stuck");
    list.replaceChildren();
    byId("no-stuck").hidden = data.stuck.length > 0;
    data.stuck.forEach((s) => {
      const item = el("li");
      const top = el("div", "stuck-top");
      top.append(el("strong", "stuck-name", s.name), el("span", "stuck-time", duration(s.seconds)));
      const what = el("div", "stuck-what");
      what.append(el("span", "ex-nb", s.exercise.split("/")[0]), el("span", null, s.exercise.split("/")[1]));
      const detail = el("div", "muted", s.attempts + " check(s)" + (s.code ? " · last diagnosis " : ""));
      if (s.code) detail.append(el("code", null, s.code));
      item.title = s.title;
      item.append(top, what, detail);
      list.append(item);
    });
  }

  function render(data) {
    byId("class-code").textContent = data.class_code;
    const done = data.exercises.reduce((n, ex) => n + ex.done, 0);
    byId("summary").textContent = data.learners.length + " learner(s) · " + done + " exercise(s) done in all";
    if (data.version !== shownVersion) {
      renderGrid(data);
      renderExercises(data);
      shownVersion = data.version;
    }
    renderStuck(data);  // durations move on even when nothing new arrived
  }

  function setStatus(live, text) {
    const status = byId("status");
    status.setAttribute("data-live", live ? "yes" : "no");
    status.textContent = text;
  }

  function problem(text) {
    const node = byId("problem");
    node.hidden = !text;
    node.textContent = text || "";
  }

  async function poll() {
    try {
      const response = await fetch("/c/" + encodeURIComponent(code) + "/board/data", {
        headers: { Authorization: "Bearer " + key },
        cache: "no-store",
      });
      if (response.status === 401) {
        problem("This page needs the instructor's key: open the link that python -m classroom printed (it ends in #key=…).");
        setStatus(false, "not signed in");
      } else if (!response.ok) {
        problem("The classroom answered " + response.status + ".");
        setStatus(false, "error");
      } else {
        render(await response.json());
        problem("");
        lastOk = Date.now();
        setStatus(true, "live · updated " + new Date(lastOk).toLocaleTimeString());
      }
    } catch (err) {
      setStatus(false, lastOk ? "classroom unreachable since " + new Date(lastOk).toLocaleTimeString() : "classroom unreachable");
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  byId("class-code").textContent = code;
  poll();
})();
