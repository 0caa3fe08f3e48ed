"use strict";
/*
 * The upload page. Polls GET /api/v1/uploads/<id>/ every second while the file is queued,
 * being checked, committed or reverted; then shows the report, and offers Commit (ready),
 * Revert (committed), Discard (ready, rejected or failed, to whoever may commit it), or sending the file again with a coordinate system or layer chosen
 * from the report's list. Every text from the file is inserted as text, never as HTML.
 * Its words come from texts.js; the report's messages come from the API already in the reader's
 * language.
 */
(function () {
  const { t, tn, word, number, has } = window.uploadTexts;
  const POLL_MS = 1000;
  const BUSY = new Set(["queued", "checking", "committing", "reverting"]);
  // The states POST discard/ accepts (app.uploads.services.discard.DISCARDABLE).
  const DISCARDABLE = new Set(["ready", "rejected", "failed"]);

  const root = document.getElementById("upload");
  const apiUrl = root.dataset.apiUrl;
  const $ = (selector) => root.querySelector(selector);
  let timer = null;
  let lastShown = "";

  // ---- small DOM builders (text only) ----
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value !== undefined && value !== null) node.setAttribute(name, value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }
  const pick = (object, ...names) => {
    if (!object) return undefined;
    for (const name of names) if (object[name] !== undefined && object[name] !== null) return object[name];
    return undefined;
  };
  const asList = (value) => (Array.isArray(value) ? value : value ? [value] : []);
  const count = (value) => (Array.isArray(value) ? value.length : value);
  const hectares = (value) =>
    `${number(value, 2)} ha`;

  function csrfToken() {
    const input = root.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // ---- the report ----
  function section(title, ...content) {
    return el("section", { class: "report-section" }, el("h2", {}, title), ...content);
  }

  function countsSection(report) {
    const figures = [
      ["read", t("features_read"), pick(report, "features_read", "read")],
      ["accepted", t("accepted"), pick(report, "accepted", "features_accepted")],
      ["repaired", t("repaired"), count(pick(report, "repaired", "features_repaired"))],
      ["rejected", t("rejected_count"), count(pick(report, "rejected", "features_rejected"))],
    ].filter(([, , value]) => value !== undefined);
    if (!figures.length) return null;
    return el("ul", { class: "counts" }, figures.map(([css, label, value]) =>
      el("li", { class: css }, el("span", { class: "number" }, number(value)), label)));
  }

  function factsSection(upload, report) {
    if (!Object.keys(report).length) return null;
    const facts = [];
    const add = (label, value, how) => {
      if (value === undefined || value === null || value === "") return;
      facts.push(el("dt", {}, label), el("dd", {}, String(value), how ? el("div", { class: "help" }, how) : null));
    };
    add(t("file"), pick(report, "file") || upload.filename);
    add(t("layer"), pick(report, "layer"));
    add(t("format"), pick(report, "driver", "format"));
    add(t("crs"), pick(report, "crs", "crs_used"), pick(report, "crs_how"));
    add(t("encoding"), pick(report, "encoding", "encoding_used"), pick(report, "encoding_how"));
    const total = pick(report, "total_ha", "hectares");
    if (total !== undefined) add(t("total_area"), hectares(total), t("total_area_help"));
    if (!facts.length) return null;
    return section(t("what_was_read"), el("dl", { class: "facts" }, facts));
  }

  function mappingSection(report) {
    const mapping = pick(report, "mapping", "columns");
    if (!mapping || typeof mapping !== "object" || !Object.keys(mapping).length) return null;
    const foundBy = pick(report, "mapping_found_by", "found_by") || {};
    const defaults = pick(report, "defaults") || {};
    return section(t("columns_used"),
      el("table", {},
        el("tr", {}, el("th", {}, t("field")), el("th", {}, t("column_in_file")), el("th", {}, t("found_by_heading"))),
        Object.entries(mapping).map(([field, column]) => el("tr", {},
          el("td", {}, el("code", {}, field)),
          el("td", {}, column === null ? el("em", {}, t("not_found"))
            : defaults[field] !== undefined ? el("em", {}, t("given", { value: defaults[field] })) : String(column)),
          el("td", {}, defaults[field] !== undefined ? t("value_given")
            : foundBy[field] ? word("found_by", foundBy[field]) : "")))),
      unusedColumns(report));
  }

  function unusedColumns(report) {
    // The file's columns no field reads: their values are not stored.
    const unused = asList(pick(report, "unused_columns"));
    if (!unused.length) return null;
    return el("p", {}, el("strong", {}, t("unused_columns")), ` ${unused.join(", ")} `,
      el("span", { class: "help" }, t("unused_columns_help")));
  }

  function placeName(place) {
    if (typeof place !== "object") return String(place);
    const name = pick(place, "name", "name_vi", "name_en") || "";
    const code = pick(place, "code");
    const figures = [];
    if (pick(place, "features", "count") !== undefined) figures.push(tn("feature_count", pick(place, "features", "count")));
    if (pick(place, "hectares", "area_ha", "ha") !== undefined) figures.push(hectares(pick(place, "hectares", "area_ha", "ha")));
    return `${name}${code && code !== name ? ` (${code})` : ""}${figures.length ? ` — ${figures.join(", ")}` : ""}`;
  }

  function placesSection(report) {
    const districts = asList(pick(report, "districts_2019", "districts"));
    const communes = asList(pick(report, "communes_2025", "communes"));
    if (!districts.length && !communes.length) return null;
    const list = (title, places) => places.length
      ? [el("h3", {}, title), el("ul", {}, places.map((place) => el("li", {}, placeName(place))))]
      : [];
    return section(t("where"), list(t("districts"), districts), list(t("communes"), communes));
  }

  function featureTable(title, rows, columnTitle, reasonNames) {
    if (!rows.length) return null;
    return section(t("with_count", { title, n: number(rows.length) }),
      el("table", {},
        el("tr", {}, el("th", {}, t("feature")), el("th", {}, t("reference")), el("th", {}, columnTitle)),
        rows.map((row) => typeof row !== "object"
          ? el("tr", {}, el("td", { colspan: 3 }, String(row)))
          : el("tr", {},
            el("td", { class: "number" }, pick(row, "feature", "number") ?? ""),
            el("td", {}, pick(row, "reference") ?? ""),
            el("td", {}, asList(pick(row, ...reasonNames)).map((reason) => el("div", {}, String(reason))))))));
  }

  function warningsSection(report) {
    const warnings = asList(pick(report, "warnings"));
    if (!warnings.length) return null;
    return section(t("with_count", { title: t("warnings"), n: number(warnings.length) }),
      el("p", { class: "help" }, t("warnings_help")),
      el("ul", { class: "warnings" }, warnings.map((warning) =>
        el("li", {}, typeof warning === "object" ? pick(warning, "message", "text") || JSON.stringify(warning) : warning))));
  }

  function conflictsSection(report) {
    const conflicts = asList(pick(report, "conflicts"));
    if (!conflicts.length) return null;
    return section(t("with_count", { title: t("conflicts"), n: number(conflicts.length) }),
      el("p", {}, t("conflicts_help")),
      el("ul", {}, conflicts.map((conflict) => el("li", {}, typeof conflict === "object"
        ? [pick(conflict, "reference") || "", pick(conflict, "feature") !== undefined ? ` ${t("of_feature", { n: conflict.feature })}` : "",
          pick(conflict, "message", "reason") ? `: ${pick(conflict, "message", "reason")}` : ""]
        : String(conflict)))));
  }

  function listsSection(report) {
    // The records each warning is about, beyond the first one the warning names.
    const overlaps = asList(pick(report, "overlaps"));
    const outsideCha = asList(pick(report, "outside_cha"));
    const duplicates = asList(pick(report, "duplicates"));
    const parts = [];
    if (overlaps.length) {
      parts.push(el("h3", {}, t("overlapping")), el("table", {},
        el("tr", {}, el("th", {}, t("feature")), el("th", {}, t("reference")), el("th", {}, t("overlaps_stored"))),
        overlaps.map((row) => el("tr", {}, el("td", { class: "number" }, row.feature ?? ""),
          el("td", {}, row.reference ?? ""), el("td", {}, row.stored ?? "")))));
    }
    if (outsideCha.length) {
      parts.push(el("h3", {}, t("outside_cha")),
        el("p", {}, outsideCha.map((row) => `${t("feature_n", { n: row.feature })}${row.reference ? ` (${row.reference})` : ""}`).join(", ")));
    }
    if (duplicates.length) {
      parts.push(el("h3", {}, t("identical")),
        el("p", {}, duplicates.map((row) => t("features_list", { list: asList(row.features).join(t("and")) })).join("; ")));
    }
    return parts.length ? section(t("warning_details"), parts) : null;
  }

  function duplicateSection(report) {
    const earlier = pick(report, "duplicate_of");
    if (earlier === undefined) return null;
    return el("p", {}, el("a", { href: `${root.dataset.pageUrl}${earlier}/` }, t("see_upload", { id: earlier })));
  }

  function refusal(upload, report) {
    // Why the file as a whole was refused: the upload's error, or the report's.
    const error = pick(report, "error");
    const message = upload.error || (typeof error === "object" ? pick(error, "message") : error) || pick(report, "message");
    return message || "";
  }

  function choices(report, parameter) {
    // What the report asks to choose (crs, layer or encoding) when it refused the file.
    return report.parameter === parameter ? asList(report.choices) : [];
  }

  function render(upload) {
    const report = upload.report || {};
    const parts = [
      countsSection(report),
      factsSection(upload, report),
      placesSection(report),
      warningsSection(report),
      conflictsSection(report),
      duplicateSection(report),
      featureTable(t("rejected_features"), asList(pick(report, "rejected")).filter((row) => typeof row === "object" || typeof row === "string"), t("why"), ["reasons", "reason", "errors"]),
      featureTable(t("repaired_features"), asList(pick(report, "repaired")).filter((row) => typeof row === "object" || typeof row === "string"), t("what_was_done"), ["repairs", "repair", "notes"]),
      listsSection(report),
      mappingSection(report),
      Object.keys(report).length ? el("details", { class: "raw" },
        el("summary", {}, t("raw_report")),
        el("pre", {}, JSON.stringify(report, null, 2))) : null,
    ];
    $("[data-report]").replaceChildren(...parts.filter(Boolean));
  }

  // ---- status, actions and links ----
  function showStatus(upload) {
    const status = upload.status;
    const badge = $("[data-status]");
    badge.textContent = word("status", status);
    badge.className = `status status-${status}`;
    const progress = BUSY.has(status) ? Number(upload.progress || 0) : 100;
    // The progress figure measures the check; a commit or revert runs as one transaction.
    const measured = status === "queued" || status === "checking";
    const bar = $(".progress .bar");
    bar.style.width = `${progress}%`;
    bar.className = `bar status-${status}`;
    bar.setAttribute("aria-valuenow", String(progress));
    const removed = status === "reverted" && upload.report && upload.report.removed !== undefined
      ? ` ${t("records_removed", { n: number(upload.report.removed) })}` : "";
    $("[data-status-text]").textContent =
      statusSentence(upload) + (measured ? ` ${progress}%` : "") + removed;
    const organisation = root.dataset.organisation || (typeof upload.organisation === "object"
      ? pick(upload.organisation, "name", "slug") : upload.organisation);
    $("[data-meta]").textContent = [upload.filename, upload.kind ? word("kind", upload.kind) : null, organisation,
      root.dataset.sentAt ? t("sent_at", { time: root.dataset.sentAt }) : null].filter(Boolean).join(" · ");
    const refused = refusal(upload, upload.report || {});
    const error = $("[data-error]");
    error.textContent = refused;
    error.hidden = !refused || BUSY.has(status);
  }

  // What the upload's state means for the reader; a committed upload's follows its review
  // (submitted, draft, approved, rejected or mixed), which changes after the commit.
  function statusSentence(upload) {
    const review = upload.review && upload.review.status;
    if (upload.status === "committed" && review && has(`committed_review.${review}`)) {
      return t(`committed_review.${review}`);
    }
    return word("status_text", upload.status);
  }

  function showActions(upload) {
    const report = upload.report || {};
    const conflicts = asList(pick(report, "conflicts"));
    $("[data-commit-panel]").hidden = upload.status !== "ready";
    const accepted = pick(report, "accepted");
    const rejected = count(pick(report, "rejected")) || 0;
    if (accepted !== undefined) {
      const stores = { accepted: tn("accepted_feature", accepted), rejected: tn("rejected_feature", rejected) };
      $("[data-commit-text]").textContent = rejected
        ? tn("commit_some", rejected, stores) : t("commit_all", stores);
    }
    $("[data-conflict-choice]").hidden = !conflicts.length;
    if (upload.on_conflict) {
      const radio = root.querySelector(`input[name=on_conflict][value="${CSS.escape(upload.on_conflict)}"]`);
      if (radio && upload.status !== "ready") radio.checked = true;
    }
    $("[data-committed-panel]").hidden = upload.status !== "committed";
    $("[data-discard-panel]").hidden =
      root.dataset.canDiscard !== "true" || !DISCARDABLE.has(upload.status);
    if (upload.status === "committed") showLinks(upload, report);
    showResend(upload, report);
  }

  function showLinks(upload, report) {
    const stored = pick(report, "stored") ?? pick(upload, "stored_count");
    const figures = [];
    if (stored !== undefined) figures.push(t("records_stored", { n: number(stored) }));
    if (report.replaced) figures.push(t("records_replaced", { n: number(report.replaced) }));
    if (report.skipped) figures.push(t("features_skipped", { n: number(report.skipped) }));
    $("[data-committed-summary]").textContent = figures.length ? `${figures.join(", ")}.` : "";
    // The report's "years" (sorted distinct years of the features' dates). The maps open on the
    // last of them, which shows everything stored up to its end; without years, on their latest.
    const years = asList(pick(report, "years")).map(Number).filter(Boolean);
    const year = years.length ? Math.max(...years) : null;
    const inYear = year ? `?year=${year}` : "";
    const links = [];
    for (const district of asList(pick(report, "districts_2019", "districts"))) {
      const code = typeof district === "object" ? pick(district, "code") : null;
      if (!code) continue;
      const name = pick(district, "name", "name_vi", "name_en") || code;
      links.push(el("li", {}, el("a", {
        href: `${root.dataset.districtMapUrl}${encodeURIComponent(code)}/${inYear}`,
      }, year ? t("unit_map_in_year", { name, year }) : t("unit_map_latest", { name }))));
    }
    links.push(el("li", {}, el("a", { href: `${root.dataset.mapsUrl}${inYear}` },
      year ? t("province_map_in_year", { year }) : t("province_map_latest"))));
    links.push(el("li", {}, el("a", { href: `${root.dataset.dashboardUrl}${inYear}` },
      year ? t("dashboard_in_year", { year }) : t("dashboard_latest"))));
    // The statistics as files a reader opens (the API's CSV and Excel), not its JSON.
    const stats = root.dataset.statsUrl;
    const files = (query) => [" ",
      el("a", { href: `${query}&format=csv`, download: "" }, "CSV"), " · ",
      el("a", { href: `${query}&format=xlsx`, download: "" }, "Excel")];
    if (upload.kind === "release" || upload.kind === "hazard") {
      links.push(el("li", {}, t("release_stats"), files(`${stats}release/?by=district`)));
    }
    if (upload.kind === "release" || upload.kind === "spot-task") {
      // Clearance is counted per year: one line for each year the records were completed in.
      for (const each of years) {
        links.push(el("li", {}, t("clearance_stats", { year: each }),
          files(`${stats}clearance/?year=${each}&by=district`)));
      }
    }
    $("[data-links]").replaceChildren(...links);
  }

  // "EPSG:9212 (VN-2000 / TM-3 106-15)" named in the refusal's message, by code.
  function crsNames(message) {
    const names = {};
    for (const match of String(message || "").matchAll(/EPSG:(\d+) \(([^()]*(?:\([^()]*\))?[^()]*)\)/g)) {
      names[`EPSG:${match[1]}`] = match[2];
    }
    return names;
  }

  function fillSelect(select, options, names = {}) {
    select.replaceChildren(...options.map((option) => {
      if (typeof option === "object") {
        const value = String(pick(option, "epsg", "code", "name", "value"));
        const code = /^\d+$/.test(value) ? `EPSG:${value}` : value;
        const share = pick(option, "inside_fraction", "inside");
        const label = [code, pick(option, "name", "label") !== value ? pick(option, "name", "label") : null,
          share !== undefined ? t("points_inside", { share: number(share * 100, 0, { percent: true }) }) : null]
          .filter(Boolean).join(" — ");
        return el("option", { value: code }, label);
      }
      const name = names[String(option)];
      return el("option", { value: String(option) }, name ? `${option} — ${name}` : String(option));
    }));
  }

  // The choices a refused file may be sent again with: [title, explanation] of each.
  const RESEND = {
    crs: [t("resend.crs.0"), t("resend.crs.1")],
    layer: [t("resend.layer.0"), t("resend.layer.1")],
    encoding: [t("resend.encoding.0"), t("resend.encoding.1")],
  };

  function showResend(upload, report) {
    const asked = upload.status === "rejected" && RESEND[report.parameter] && asList(report.choices).length
      ? report.parameter : null;
    const panel = $("[data-resend-panel]");
    panel.hidden = !asked;
    if (!asked || panel.dataset.filled === String(upload.id)) return;
    panel.dataset.filled = String(upload.id);
    const form = $("[data-resend-form]");
    const options = upload.options || {};
    form.elements.kind.value = upload.kind || "";
    form.elements.organisation.value = typeof upload.organisation === "object"
      ? pick(upload.organisation, "slug") : upload.organisation || "";
    const lines = (pairs) => pairs && typeof pairs === "object"
      ? Object.entries(pairs).map(([field, value]) => `${field}=${value}`).join("\n") : pairs || "";
    form.elements.mapping.value = lines(options.mapping);
    form.elements.defaults.value = lines(options.defaults);
    form.elements.on_conflict.value = upload.on_conflict || "";
    for (const parameter of Object.keys(RESEND)) {
      const select = form.elements[parameter];
      const field = root.querySelector(`[data-choice="${parameter}"]`);
      field.hidden = parameter !== asked;
      if (parameter === asked) {
        fillSelect(select, choices(report, parameter), crsNames(report.error || upload.error));
      } else {
        // Not asked for: send again what was given the first time, if anything.
        const earlier = options[parameter];
        select.replaceChildren(...(earlier ? [el("option", { value: earlier }, earlier)] : []));
        select.disabled = !earlier;
      }
    }
    $("[data-resend-title]").textContent = RESEND[asked][0];
    $("[data-resend-text]").textContent = RESEND[asked][1];
    $("[data-filename]").textContent = upload.filename || "";
  }

  // ---- the API ----
  async function load() {
    clearTimeout(timer);
    let response;
    try {
      response = await fetch(apiUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    } catch (offline) {
      $("[data-status-text]").textContent = t("unreachable_retrying");
      timer = setTimeout(load, POLL_MS * 5);
      return;
    }
    if (!response.ok) {
      const answer = await response.json().catch(() => ({}));
      $("[data-status-text]").textContent = "";
      const error = $("[data-error]");
      error.textContent = answer.error || t("unreadable_upload", { status: response.status });
      error.hidden = false;
      return;
    }
    const upload = await response.json();
    showStatus(upload);
    // Redraw the report only when it changed: a redraw would close what the reader opened.
    const shown = JSON.stringify([upload.status, upload.report, upload.error]);
    if (shown !== lastShown) {
      lastShown = shown;
      render(upload);
      showActions(upload);
    }
    if (BUSY.has(upload.status)) timer = setTimeout(load, POLL_MS);
  }

  async function act(button, path, body) {
    button.disabled = true;
    const error = $("[data-error]");
    error.hidden = true;
    try {
      const response = await fetch(`${apiUrl}${path}`, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(body),
      });
      if (!response.ok) {
        const answer = await response.json().catch(() => ({}));
        error.textContent = answer.error || t("refused", { status: response.status });
        error.hidden = false;
      }
    } catch (offline) {
      error.textContent = t("unreachable_unchanged");
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
    await load();
  }

  $("[data-commit]").addEventListener("click", (event) => {
    const choice = root.querySelector("input[name=on_conflict]:checked");
    act(event.currentTarget, "commit/", { on_conflict: choice ? choice.value : "skip" });
  });
  $("[data-revert]").addEventListener("click", (event) => {
    if (!window.confirm(t("confirm_revert"))) return;
    act(event.currentTarget, "revert/", {});
  });
  $("[data-discard]").addEventListener("click", (event) => {
    if (!window.confirm(t("confirm_discard"))) return;
    act(event.currentTarget, "discard/", {});
  });

  load();
})();
