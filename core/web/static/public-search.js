// The static catalogue's search (gongkai site build): filters the index in search-index.js by
// every word of ?q= in the title or 文号; the served pages search on the server instead.
(function () {
  var box = document.getElementById("results"), index = window.gkIndex || [];
  var q = (new URLSearchParams(location.search).get("q") || "").trim().slice(0, 100);
  document.getElementById("q").value = q;
  if (!box || !q) return;
  var words = q.split(/\s+/), hits = index.filter(function (d) {
    return words.every(function (w) { return d[1].indexOf(w) >= 0 || d[2].indexOf(w) >= 0; });
  }).slice(0, 200);
  var p = document.createElement("p"); p.textContent = "检索“" + q + "”：共 " + hits.length + " 件（最多显示 200 件）。";
  var ul = document.createElement("ul");
  hits.forEach(function (d) {
    var li = document.createElement("li"), a = document.createElement("a");
    a.href = box.dataset.base.replace(/index\.html$/, "") + "documents/" + d[0] + ".html";
    a.textContent = d[1]; li.appendChild(a);
    if (d[2]) li.appendChild(document.createTextNode(" " + d[2]));
    ul.appendChild(li);
  });
  box.appendChild(p); box.appendChild(ul);
})();
