// Sambandh's little script: every page works without it; it only saves clicks.
"use strict";
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  // The language menu applies the language as soon as one is picked.
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.submit());
  }

  // SLA timers: each deadline says how long is left (or how late it is), in the page's
  // language, and keeps counting while the page is open.
  const lang = document.documentElement.lang || "en";
  const relative = new Intl.RelativeTimeFormat(lang, { numeric: "auto", style: "short" });
  const timers = document.querySelectorAll("time[data-due]");
  const tick = () => {
    const now = Date.now();
    for (const time of timers) {
      const due = Date.parse(time.getAttribute("datetime"));
      if (Number.isNaN(due)) continue;
      const minutes = Math.round((due - now) / 60000);
      const text = Math.abs(minutes) < 90
        ? relative.format(minutes, "minute")
        : Math.abs(minutes) < 48 * 60 ? relative.format(Math.round(minutes / 60), "hour")
        : relative.format(Math.round(minutes / 1440), "day");
      let left = time.nextElementSibling;
      if (!left || !left.classList.contains("left")) {
        left = document.createElement("span");
        left.className = "left sub";
        time.after(left);
      }
      left.textContent = " (" + text + ")";
      time.classList.toggle("late", minutes < 0);
    }
  };
  if (timers.length) {
    tick();
    setInterval(tick, 30000);
  }
});
