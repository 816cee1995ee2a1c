/* The "data may be out of date" notice, judged when the page is viewed.
 *
 * The site is static: a page built from fresh data is still served days later,
 * so whether its data is old cannot be decided at build time. The notice is in
 * the page, hidden, with the data's time and the stale_after setting (days) in
 * attributes; it is shown once the viewer's clock is more than that past the
 * data's time. Its words (with the data's time) come from the page itself.
 */
(function () {
  "use strict";

  var DAY = 24 * 60 * 60 * 1000;

  document.querySelectorAll("[data-testid=data-stale]").forEach(function (notice) {
    var asOf = Date.parse(notice.getAttribute("data-as-of") || "");
    var days = parseFloat(notice.getAttribute("data-stale-after") || "");
    if (isNaN(asOf) || isNaN(days)) return;
    if (Date.now() - asOf > days * DAY) notice.hidden = false;
  });
})();
