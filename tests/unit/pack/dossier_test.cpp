#include <catch2/catch.hpp>

#include <regex>

#include "pack/dossier.h"
#include "pack/timeline_svg.h"
#include "pack_fixture.h"

using namespace flexrecon;
using namespace flexrecon::test;

namespace {

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("hostile names in users, hosts and reasons are escaped in the dossier", "[pack][dossier]") {
  const std::string html = render_dossier(sample_result(), templates_dir());
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("=HYPERLINK(&quot;http://evil.example&quot;") != std::string::npos);
  CHECK(html.find("<script>x</script>") == std::string::npos);
}

TEST_CASE("the dossier is self-contained: nothing is fetched from the network", "[pack][dossier]") {
  const std::string html = render_dossier(sample_result(), templates_dir());
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find(" src=") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  // The only URL is the SVG namespace name, which is never fetched; the hostile one is inert text.
  const std::regex url(R"(https?://[^"&\s<]+)");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), url); it != std::sregex_iterator(); ++it) {
    const std::string u = it->str();
    INFO(u);
    CHECK((u == "http://www.w3.org/2000/svg" || u == "http://evil.example"));
  }
  CHECK(html.find("<style>") != std::string::npos);
}

TEST_CASE("one exhibit per challenged charge, each with a timeline and its evidence records", "[pack][dossier]") {
  const std::string html = render_dossier(sample_result(), templates_dir());
  CHECK(occurrences(html, "<article class=\"exhibit\"") == 2);
  CHECK(occurrences(html, "<svg ") == 2);
  CHECK(html.find("id=\"exhibit-F0001\"") != std::string::npos);
  CHECK(html.find("id=\"exhibit-F0003\"") == std::string::npos);  // insufficient evidence: listed, not an exhibit
  CHECK(html.find("logs/ws-0042-Security.xml#150") != std::string::npos);
  CHECK(html.find("4609 shutdown -&gt; 4608 boot") != std::string::npos);  // the power-off span's tooltip
  CHECK(html.find("break-before: page") != std::string::npos);            // print: one exhibit per page
}

TEST_CASE("the dossier states the money, the sources with hashes and the evidence to request", "[pack][dossier]") {
  const std::string html = render_dossier(sample_result(), templates_dir());
  CHECK(html.find(std::string(64, 'b')) != std::string::npos);  // an input's SHA-256
  CHECK(html.find("56.00") != std::string::npos);                // shortfall before at list price (14 x 4)
  CHECK(html.find("35.00") != std::string::npos);                // the same at the negotiated price
  // The record gap on ws-0042 during the audit period, with the one charge it leaves undecided.
  // (clipped to the audit period: the gap runs to 18:00, the last charge window ends at 15:02)
  CHECK(std::regex_search(html, std::regex("<td>ws-0042</td><td[^>]*>2025-03-05T10:00:00Z</td>"
                                           "<td[^>]*>2025-03-05T15:02:00Z</td>.*record-gap.*<td class=\"num\">1</td>")));
  CHECK(html.find("EventRecordID 151 -&gt; 190") != std::string::npos);
  // The conflicting duplicate is shown as a sign of tampering.
  CHECK(html.find("sign that an export was altered") != std::string::npos);
}

TEST_CASE("non-ASCII names reach the dossier intact", "[pack][dossier]") {
  const std::string html = render_dossier(sample_result(), templates_dir());
  CHECK(html.find("józef.żółć@corp.example") != std::string::npos);
}

TEST_CASE("a missing template is named in the error", "[pack][dossier]") {
  ScratchDir dir;
  try {
    render_dossier(sample_result(), dir.path().string());
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::InputUnusable);
    CHECK(std::string(e.what()).find("dossier.css") != std::string::npos);
  }
}

TEST_CASE("timeline labels escape markup and keep UTF-8 whole when shortened", "[pack][dossier]") {
  TimelinePicture p;
  p.range = {*parse_timestamp("2025-03-04 00:00:00"), *parse_timestamp("2025-03-04 06:00:00")};
  p.caption = "a < b";
  p.lanes.push_back({"<b>" + std::string(27, 'x') + "żółć", {{p.range, "session", "\"quoted\" & <tag>"}}});
  const std::string svg = timeline_svg(p);
  CHECK(svg.find("<b>") == std::string::npos);
  CHECK(svg.find("&lt;b&gt;") != std::string::npos);
  CHECK(svg.find("&quot;quoted&quot; &amp; &lt;tag&gt;") != std::string::npos);
  CHECK(svg.find(">00:00<") != std::string::npos);  // time labels on the axis
  CHECK(svg.find(">06:00<") != std::string::npos);
  CHECK(svg.find("x\xC5\xBC") == std::string::npos);  // label cut...
  CHECK(svg.find("\xE2\x80\xA6") != std::string::npos);  // ...with an ellipsis, not half a character
}

TEST_CASE("a filtered log with a gap between every record lists only the gaps that touch a charge",
          "[pack][dossier]") {
  ReconcileResult r = sample_result();
  std::vector<CoverageGap>& gaps = r.timelines.hosts["ws-0042"].uncovered;
  const Instant first = at("2025-03-04 05:00:00");
  for (int k = 0; k < 5000; ++k) {
    const Instant b = first + 2 * k * kMinute;
    gaps.push_back({{b, b + kMinute}, "record-gap", "EventRecordID " + std::to_string(k) + " gap", {}});
  }
  std::sort(gaps.begin(), gaps.end(), [](const auto& a, const auto& b) { return a.span.begin < b.span.begin; });
  const std::string html = render_dossier(r, templates_dir());
  // The charge at 2025-03-05 12:00 (+/- 2 min, both ends included) meets the long record gap and the
  // three short gaps at 11:58, 12:00 and 12:02 (which begins on the window's last instant, as the
  // background rule sees it too); the other 1018 gaps of the audit period are counted, not listed.
  CHECK(occurrences(html, "<tr><td>ws-0042</td><td class=\"time\">") == 4);  // request rows
  CHECK(html.find("ws-0042: 1018;") != std::string::npos);
}

TEST_CASE("a host whose Security export was filtered is one evidence request for its unfiltered log", "[pack][dossier]") {
  ReconcileResult r = sample_result();
  HostTimeline& tl = r.timelines.hosts.at("ws-0042");
  tl.uncovered.back().kind = "filtered-export";
  tl.uncovered.push_back({{at("2025-03-05 19:00:00"), at("2025-03-05 20:00:00")}, "filtered-export",
                          "filtered export (it kept only event ids 4624, 4634): EventRecordID 190 -> 197", {}});
  const std::string html = render_dossier(r, templates_dir());
  CHECK(html.find("ask IT for the unfiltered Security channel of this host for the whole period") != std::string::npos);
  CHECK(html.find("EventRecordID 190 -&gt; 197") == std::string::npos);  // not listed gap by gap
  CHECK(html.find("EventRecordID 190 -> 197") == std::string::npos);
}
