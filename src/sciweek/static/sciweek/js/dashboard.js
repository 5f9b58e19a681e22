/* The organiser's dashboard: draws each chart with ECharts from the table the page carries
   (json_script "dashboard-charts"), the same numbers as the table beside it. No inline script
   (strict CSP); tooltips are drawn on the canvas (richText), not as HTML. */
(function () {
  "use strict";

  var PALETTE = ["#1f5fad", "#f08c00", "#2f9e44", "#7048e8", "#e03131", "#0c8599", "#868e96", "#d6336c"];

  function seriesNames(table) {
    return table.chart.series.map(function (i) { return table.columns[i]; });
  }

  function column(table, i) {
    return table.rows.map(function (row) { return row.cells[i] === null ? 0 : row.cells[i]; });
  }

  function base(table) {
    return {
      color: PALETTE,
      animation: false,
      textStyle: { fontFamily: "system-ui, -apple-system, 'Noto Sans CJK SC', sans-serif" },
      tooltip: { trigger: "axis", renderMode: "richText", confine: true },
      legend: { type: "scroll", top: 0, data: seriesNames(table) },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true }
    };
  }

  function bar(table) {
    var option = base(table);
    var labels = table.rows.map(function (row) { return row.label; });
    var category = { type: "category", data: labels, axisLabel: { interval: 0, hideOverlap: true, width: 90, overflow: "truncate" } };
    var value = { type: "value", minInterval: 1 };
    if (table.chart.horizontal) {
      category.inverse = true;
      option.xAxis = value;
      option.yAxis = category;
    } else {
      category.axisLabel.rotate = labels.length > 4 ? 40 : 0;
      option.xAxis = category;
      option.yAxis = value;
    }
    option.series = table.chart.series.map(function (i) {
      return {
        name: table.columns[i], type: "bar", data: column(table, i),
        stack: table.chart.stack ? "total" : undefined, emphasis: { focus: "series" }
      };
    });
    return option;
  }

  function line(table) {
    var option = base(table);
    option.xAxis = { type: "category", data: table.rows.map(function (row) { return row.label; }) };
    option.yAxis = { type: "value", minInterval: 1 };
    option.series = table.chart.series.map(function (i) {
      return { name: table.columns[i], type: "line", data: column(table, i), symbolSize: 6 };
    });
    return option;
  }

  function calendar(table, el) {
    var dates = table.rows.map(function (row) { return row.label; });
    var values = column(table, 0);
    var max = Math.max.apply(null, values.concat([1]));
    var narrow = el.clientWidth < 560;
    return {
      animation: false,
      tooltip: { renderMode: "richText", confine: true },
      visualMap: {
        min: 0, max: max, calculable: false, orient: "horizontal", left: "center", bottom: 0,
        inRange: { color: ["#e7f0fa", "#1f5fad"] }, text: [String(max), "0"]
      },
      calendar: {
        range: [dates[0], dates[dates.length - 1]],
        orient: narrow ? "vertical" : "horizontal",
        top: narrow ? 40 : 30, left: narrow ? "center" : 40, right: narrow ? undefined : 16, bottom: 50,
        cellSize: narrow ? [40, 22] : ["auto", 28],
        yearLabel: { show: false }, dayLabel: { firstDay: 1, nameMap: "ZH" }, monthLabel: { nameMap: "ZH" }
      },
      series: [{
        type: "heatmap", coordinateSystem: "calendar", name: table.columns[0],
        data: dates.map(function (d, i) { return [d, values[i]]; }),
        label: { show: true, formatter: function (p) { return p.value[1]; } }
      }]
    };
  }

  function pie(table) {
    return {
      color: PALETTE,
      animation: false,
      tooltip: { trigger: "item", renderMode: "richText", confine: true },
      legend: { type: "scroll", bottom: 0 },
      series: [{
        type: "pie", radius: ["35%", "65%"], name: table.columns[0],
        data: table.rows.map(function (row) { return { name: row.label, value: row.cells[0] }; }),
        label: { formatter: "{b}: {c}" }
      }]
    };
  }

  function tiles(table) {
    var cols = 1, rows = 1, max = 1;
    table.rows.forEach(function (row) {
      cols = Math.max(cols, row.extra.col + 1);
      rows = Math.max(rows, row.extra.row + 1);
      max = Math.max(max, row.cells[0]);
    });
    var range = function (n) { return Array.apply(null, Array(n)).map(function (_, i) { return String(i); }); };
    return {
      animation: false,
      tooltip: { renderMode: "richText", confine: true, formatter: function (p) { return p.data.name + ": " + p.data.value[2]; } },
      grid: { left: 4, right: 4, top: 4, bottom: 4 },
      xAxis: { type: "category", data: range(cols), show: false },
      yAxis: { type: "category", data: range(rows), show: false, inverse: true },
      visualMap: { show: false, min: 0, max: max, inRange: { color: ["#eef4fb", "#7fb0e6"] } },
      series: [{
        type: "heatmap", name: table.columns[0],
        data: table.rows.map(function (row) {
          return { name: row.label, short: row.extra.short || row.label, value: [row.extra.col, row.extra.row, row.cells[0]], url: row.url };
        }),
        itemStyle: { borderColor: "#fff", borderWidth: 3, borderRadius: 6 },
        label: {
          show: true, color: "#0b2545", fontWeight: "bold", lineHeight: 18,
          formatter: function (p) { return p.data.short + "\n" + p.data.value[2]; }
        }
      }]
    };
  }

  var BUILDERS = { bar: bar, line: line, calendar: calendar, pie: pie, tiles: tiles };

  function linkFor(table, params) {
    if (params.data && params.data.url) return params.data.url;
    var row = table.rows[params.dataIndex];
    if (!row) return "";
    if (params.seriesIndex !== undefined && row.cell_urls && row.cell_urls.length) {
      var columnIndex = table.chart.series[params.seriesIndex];
      if (row.cell_urls[columnIndex]) return row.cell_urls[columnIndex];
    }
    return row.url || "";
  }

  function draw() {
    var source = document.getElementById("dashboard-charts");
    if (!source || !window.echarts) return;
    var tables = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var table = tables[el.getAttribute("data-chart")];
      var build = table && BUILDERS[table.chart.type];
      if (!build) return;
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(build(table, el));
      chart.on("click", function (params) {
        var url = linkFor(table, params);
        if (url) window.location.href = url;
      });
      el.setAttribute("data-drawn", "true");
      charts.push(chart);
      var button = document.querySelector("[data-chart-png='" + table.key + "']");
      if (button) {
        button.addEventListener("click", function () {
          var link = document.createElement("a");
          link.href = chart.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" });
          link.download = button.getAttribute("data-filename") || table.key + ".png";
          document.body.appendChild(link);
          link.click();
          link.remove();
        });
      }
    });
    var pending;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(function () { charts.forEach(function (c) { c.resize(); }); }, 150);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
