// Somu's progressive enhancement. Every page works without this file; it only adds comfort.
(function () {
  "use strict";
  // Upload forms marked data-progress="upload" show a progress bar while the file travels.
  document.querySelectorAll('form[data-progress="upload"]').forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      var bar = form.querySelector("progress");
      if (!bar || !window.XMLHttpRequest || !window.FormData) { return; }
      ev.preventDefault();
      var xhr = new XMLHttpRequest();
      bar.hidden = false;
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) { bar.value = Math.round((e.loaded / e.total) * 100); }
      });
      xhr.addEventListener("load", function () {
        if (xhr.responseURL && xhr.responseURL !== form.action && xhr.status < 400) {
          window.location.assign(xhr.responseURL);
        } else {
          document.open(); document.write(xhr.responseText); document.close();
        }
      });
      xhr.addEventListener("error", function () { form.submit(); });
      xhr.open("POST", form.action);
      xhr.send(new FormData(form));
    });
  });
  // classes: on an attendance roster, each tap is saved at once (the Save button still works).
  document.querySelectorAll("form[data-roster]").forEach(function (form) {
    if (!window.fetch || !window.URLSearchParams) { return; }
    var csrf = form.querySelector('input[name="csrf"]');
    var count = document.getElementById("roster-count");
    form.addEventListener("change", function (ev) {
      var input = ev.target;
      if (!input || input.type !== "radio") { return; }
      var row = input.closest(".roster-row");
      var body = new URLSearchParams();
      body.append("csrf", csrf ? csrf.value : "");
      body.append(input.name, input.value);
      if (row) { row.classList.remove("saved"); }
      fetch(form.action, { method: "POST", body: body, credentials: "same-origin",
        headers: { "Accept": "application/json" } })
        .then(function (r) {
          if (!r.ok) { throw new Error(String(r.status)); }
          if (row) { row.classList.add("saved"); }
          if (count) {
            var present = form.querySelectorAll('input[value="present"]:checked').length;
            var total = form.querySelectorAll(".roster-row").length;
            count.textContent = count.textContent.replace(/^\d+ \/ \d+/, present + " / " + total);
          }
        })
        .catch(function () { form.submit(); });
    });
  });
  // learning: the lesson editor previews the Markdown as it is typed (the Preview button still works).
  document.querySelectorAll("form[data-live-preview]").forEach(function (form) {
    if (!window.fetch || !window.URLSearchParams) { return; }
    var area = form.querySelector("textarea[name=body]");
    var csrf = form.querySelector('input[name="csrf"]');
    var section = document.getElementById("lesson-preview");
    var out = document.getElementById("preview-body");
    var note = document.getElementById("preview-state");
    if (!area || !section || !out) { return; }
    var timer = null;
    var asked = 0;
    function refresh() {
      var mine = ++asked;
      var body = new URLSearchParams();
      body.append("csrf", csrf ? csrf.value : "");
      body.append("body", area.value);
      if (note) { note.textContent = note.dataset.busy || "…"; }
      fetch(form.dataset.livePreview, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.text(); })
        .then(function (html) {
          if (mine !== asked) { return; }
          out.innerHTML = html;
          section.hidden = false;
          if (note) { note.textContent = ""; }
        })
        .catch(function () { if (note) { note.textContent = note.dataset.failed || "!"; } });
    }
    area.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(refresh, 300);
    });
    refresh();
  });
})();
