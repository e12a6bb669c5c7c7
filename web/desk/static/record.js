// The record page (record.html): highlight on the page image the words a field was read from,
// zoom the page images, and the keyboard (j/k records, n fields, a approve, +/- zoom).
// Ours, served from /static: the Content-Security-Policy allows no inline or foreign script.
"use strict";

(function () {
  const record = document.getElementById("record");
  if (!record) return;
  const viewer = record.querySelector(".viewer");
  const fields = Array.from(record.querySelectorAll(".field"));
  const ZOOMS = [1, 1.5, 2, 3];
  let zoomIndex = 0;

  function clearMarks() {
    record.querySelectorAll(".mark").forEach((mark) => mark.remove());
    fields.forEach((row) => row.classList.remove("current"));
  }

  // Word boxes are fractions of the page, so percentages keep them on their words at any zoom.
  function select(row, scroll) {
    clearMarks();
    row.classList.add("current");
    const figure = row.dataset.page && document.getElementById("trang-" + row.dataset.page);
    if (!figure) return;
    const sheet = figure.querySelector(".sheet");
    let first = null;
    for (const [x0, y0, x1, y1] of JSON.parse(row.dataset.boxes || "[]")) {
      const mark = document.createElement("div");
      mark.className = "mark";
      mark.style.left = x0 * 100 + "%";
      mark.style.top = y0 * 100 + "%";
      mark.style.width = (x1 - x0) * 100 + "%";
      mark.style.height = (y1 - y0) * 100 + "%";
      sheet.appendChild(mark);
      first = first || mark;
    }
    if (first && scroll) first.scrollIntoView({ block: "center", inline: "center" });
  }

  fields.forEach((row) => {
    row.addEventListener("click", (event) => {
      // Clicks into the edit form select the field too, but leave the page where the clerk is.
      select(row, !event.target.closest("form"));
    });
  });

  function zoom(step) {
    zoomIndex = Math.min(ZOOMS.length - 1, Math.max(0, zoomIndex + step));
    const level = ZOOMS[zoomIndex];
    record.querySelectorAll(".sheet").forEach((sheet) => {
      sheet.style.width = level * 100 + "%";
      const image = sheet.querySelector("img");
      // A sharper rendering for a bigger picture; the server draws it at this zoom.
      image.src = image.dataset.src + (level === 1 ? "" : "?zoom=" + level);
    });
    document.getElementById("zoom-level").textContent = Math.round(level * 100) + "%";
  }

  viewer.querySelectorAll("[data-zoom]").forEach((button) => {
    button.addEventListener("click", () => zoom(Number(button.dataset.zoom)));
  });

  function go(url) {
    if (url) window.location.assign(url);
  }

  function nextField() {
    const current = fields.findIndex((row) => row.classList.contains("current"));
    const row = fields[(current + 1) % fields.length];
    if (!row) return;
    row.focus();
    select(row, true);
  }

  // A refused value: the clerk sees the refusal and is back in the box to correct it.
  // A value just saved (`#truong-…` in the address): its words are shown again.
  const refused = record.querySelector(".field.refused");
  const saved = window.location.hash.startsWith("#truong-") && document.getElementById(window.location.hash.slice(1));
  if (refused) {
    select(refused, true);
    const input = refused.querySelector(".edit input[name=value]");
    if (input) input.focus();
  } else if (saved && saved.classList.contains("field")) {
    select(saved, true);
  }

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.key === "Escape" && target.matches("input, textarea, select")) {
      target.closest(".field") ? target.closest(".field").focus() : target.blur();
      return;
    }
    // Shortcuts never fire while the clerk types, nor with a modifier (the browser's own keys).
    if (event.ctrlKey || event.metaKey || event.altKey || target.matches("input, textarea, select")) return;
    const approve = document.getElementById("approve-form");
    switch (event.key) {
      case "j": go(record.dataset.next); break;
      case "k": go(record.dataset.previous); break;
      case "n": nextField(); break;
      case "a": if (approve) approve.requestSubmit(); break;
      case "+": case "=": zoom(1); break;
      case "-": zoom(-1); break;
      case "Enter": {
        const row = target.closest && target.closest(".field");
        const input = row && row.querySelector(".edit input[name=value]");
        if (!input) return;
        input.focus();
        input.select();
        break;
      }
      default: return;
    }
    event.preventDefault();
  });
})();
