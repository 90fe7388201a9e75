// The Streaming page and the batch page: read the JSON API, draw with uPlot (vendored, no network).
var Tributary = (function () {
  "use strict";

  function el(tag, attrs) {
    var node = document.createElement(tag);
    for (var k in (attrs || {})) {
      if (k === "text") node.textContent = attrs[k]; else node.setAttribute(k, attrs[k]);
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
    }
    return node;
  }

  function get(path) {
    return fetch(path, { cache: "no-store" }).then(function (r) {
      if (!r.ok) throw new Error(path + ": HTTP " + r.status);
      return r.json();
    });
  }

  function ms(v) { return v === null || v === undefined ? "-" : v < 1000 ? v + " ms" : (v / 1000).toFixed(2) + " s"; }
  function num(v) { return v === null || v === undefined ? "unlimited" : Math.round(v).toLocaleString("en-US"); }
  function time(t) { return t === null || t === undefined || t < 0 ? "-" : new Date(t).toISOString().replace("T", " ").replace("Z", ""); }
  function bytes(b) { return (b / 1048576).toFixed(1) + " MB"; }

  function fill(id, rows) {
    var body = document.querySelector("#" + id + " tbody");
    body.textContent = "";
    rows.forEach(function (r) { body.appendChild(r); });
    if (rows.length === 0) body.appendChild(el("tr", {}, el("td", { colspan: "8", "class": "muted", text: "none" })));
  }

  function td(text, cls) { return el("td", cls ? { "class": cls } : {}, text); }

  var charts = {};
  var series = ["inputRate", "schedulingDelay", "processingTime", "totalDelay"];
  var colors = { inputRate: "#1565c0", schedulingDelay: "#ef6c00", processingTime: "#2e7d32", totalDelay: "#6a1b9a" };

  function drawCharts(timeline) {
    var xs = timeline.batchTime.map(function (t) { return t / 1000; });
    series.forEach(function (name) {
      var ys = timeline[name];
      var data = [xs, ys];
      var box = document.getElementById("chart-" + name);
      if (!charts[name]) {
        var width = Math.max(box.clientWidth, 300);
        charts[name] = new uPlot({
          width: width, height: 200,
          legend: { show: false },
          cursor: { show: true },
          scales: { x: { time: true }, y: { range: function (u, min, max) { return [0, Math.max(max * 1.1, 1)]; } } },
          series: [{}, { label: name, stroke: colors[name], width: 2, fill: colors[name] + "22", points: { show: xs.length < 60 } }],
          axes: [{}, { size: 60 }]
        }, data, box);
      } else {
        charts[name].setData(data);
      }
      var canvas = box.querySelector("canvas");
      var rect = canvas.getBoundingClientRect();
      box.setAttribute("data-points", String(xs.length));
      box.setAttribute("data-rect", [Math.round(rect.left + window.scrollX), Math.round(rect.top + window.scrollY),
        Math.round(rect.width), Math.round(rect.height)].join(","));
    });
  }

  function renderSummary(s) {
    document.getElementById("app").textContent = s.appName + " (" + s.master + ")";
    document.getElementById("since").textContent = "running since " + time(s.startTime) + " UTC, batches every " + ms(s.batchDuration);
    var summary = document.getElementById("summary");
    summary.textContent = "";
    [["Completed batches", num(s.numTotalCompletedBatches)], ["Failed batches", num(s.numTotalFailedBatches)],
     ["Queued or running", num(s.numActiveBatches)], ["Records", num(s.numProcessedRecords)],
     ["Avg input rate", num(s.avgInputRate) + " records/s"], ["Avg scheduling delay", ms(s.avgSchedulingDelay && Math.round(s.avgSchedulingDelay))],
     ["Avg processing time", ms(s.avgProcessingTime && Math.round(s.avgProcessingTime))],
     ["Receivers active", s.numActiveReceivers + " of " + s.numReceivers],
     ["Received data held", bytes(s.bufferedBytes) + " of " + bytes(s.maxBufferedBytes)]].forEach(function (p) {
      summary.appendChild(el("span", {}, p[0] + ": ", el("b", { text: p[1] })));
    });
  }

  function renderReceivers(receivers) {
    fill("receivers", receivers.map(function (r) {
      return el("tr", {}, td(r.streamId), td(r.streamName),
        td(r.isActive ? "active" : "inactive", r.isActive ? "ok" : "failed"), td(r.restarts, "num"), td(r.numErrors, "num"),
        td(num(r.rateLimit), "num"), td(num(r.avgEventRate), "num"),
        td(r.lastErrorMessage ? time(r.lastErrorTime) + ": " + r.lastErrorMessage : "-"));
    }));
  }

  function renderInputs(inputs) {
    fill("inputs", inputs.map(function (s) {
      var changes = s.rateUpdates.slice(-5).map(function (c) { return time(c.batchTime).slice(11) + ": " + num(c.rate); }).join(", ");
      return el("tr", {}, td(s.streamId), td(s.streamName), td(s.receiverBased ? "receiver" : "direct"),
        td(num(s.rateLimit), "num"), td(num(s.numRecords), "num"), td(changes || "-"));
    }));
  }

  function renderBatches(batches, inputs) {
    var direct = {};
    inputs.forEach(function (s) { if (!s.receiverBased) direct[s.streamId] = true; });
    var ranges = [];
    fill("batches", batches.slice(0, 50).map(function (b) {
      b.inputs.forEach(function (i) {
        if (direct[i.streamId] && ranges.length < 30) {
          ranges.push(el("tr", {}, td(time(b.batchTime)), td(i.streamId + " " + i.streamName), td(num(i.numRecords), "num"),
            el("td", {}, el("pre", { text: i.description || JSON.stringify(i.metadata) }))));
        }
      });
      var ops = el("td", {});
      b.outputOperations.forEach(function (o) {
        ops.appendChild(o.failureReason
          ? el("div", { "class": "failed", text: "#" + o.outputOpId + " " + o.name + ": failed: " + o.failureReason })
          : el("div", { text: "#" + o.outputOpId + " " + o.name + ": " + ms(o.duration) }));
      });
      return el("tr", {}, el("td", {}, el("a", { href: "/batch?id=" + b.batchId, text: time(b.batchTime) })),
        td(b.status, b.numFailedOutputOps > 0 ? "failed" : ""), td(num(b.inputSize), "num"), td(ms(b.schedulingDelay), "num"),
        td(ms(b.processingTime), "num"), td(ms(b.totalDelay), "num"), ops);
    }));
    fill("ranges", ranges);
  }

  function streamingPage() {
    function refresh() {
      Promise.all([get("/api/v1/streaming/statistics"), get("/api/v1/streaming/timeline"), get("/api/v1/streaming/receivers"),
                   get("/api/v1/streaming/inputs"), get("/api/v1/streaming/batches?limit=50")])
        .then(function (all) {
          renderSummary(all[0]);
          drawCharts(all[1]);
          renderReceivers(all[2]);
          renderInputs(all[3]);
          renderBatches(all[4], all[3]);
          if (all[1].batchTime.length > 0) document.body.setAttribute("data-ready", "true");
        })
        .catch(function (e) { document.getElementById("summary").textContent = "Cannot reach the application: " + e.message; })
        .then(function () { setTimeout(refresh, 2000); });
    }
    document.addEventListener("DOMContentLoaded", refresh);
  }

  function batchPage() {
    document.addEventListener("DOMContentLoaded", function () {
      var id = new URLSearchParams(location.search).get("id");
      get("/api/v1/streaming/batches/" + encodeURIComponent(id)).then(function (b) {
        document.getElementById("title").textContent = time(b.batchTime) + " (" + b.status + ")";
        var summary = document.getElementById("summary");
        [["Records", num(b.inputSize)], ["Submitted", time(b.submissionTime)], ["Scheduling delay", ms(b.schedulingDelay)],
         ["Processing time", ms(b.processingTime)], ["Total delay", ms(b.totalDelay)],
         ["Output operations", b.numTotalOutputOps + " (" + b.numFailedOutputOps + " failed)"]].forEach(function (p) {
          summary.appendChild(el("span", {}, p[0] + ": ", el("b", { text: p[1] })));
        });
        fill("inputs", b.inputs.map(function (i) {
          return el("tr", {}, td(i.streamId), td(i.streamName), td(num(i.numRecords), "num"),
            el("td", {}, el("pre", { text: i.description || "-" })), el("td", {}, el("pre", { text: JSON.stringify(i.metadata, null, 1) })));
        }));
        fill("ops", b.outputOperations.map(function (o) {
          return el("tr", {}, td(o.outputOpId), td(o.name), td(o.description), td(time(o.startTime)), td(ms(o.duration), "num"),
            o.failureReason ? el("td", { "class": "failed" }, el("pre", { text: o.failureReason })) : td(o.endTime ? "succeeded" : "running", "ok"));
        }));
        document.body.setAttribute("data-ready", "true");
      }).catch(function (e) { document.getElementById("summary").textContent = e.message; });
    });
  }

  return { streamingPage: streamingPage, batchPage: batchPage };
})();
