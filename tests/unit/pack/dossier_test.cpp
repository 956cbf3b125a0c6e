#include <catch2/catch.hpp>

#include <map>
#include <regex>
#include <set>

#include "pack/dossier.h"
#include "pack/dossier_links.h"
#include "pack/dossier_page_names.h"
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

std::map<std::string, std::string> pages_of(const ReconcileResult& r, const DossierLimits& limits = {}) {
  std::map<std::string, std::string> pages;
  for (DossierPage& p : render_dossier_pages(r, templates_dir(), limits)) {
    INFO(p.path);
    CHECK(pages.emplace(p.path, std::move(p.html)).second);  // each page once
  }
  return pages;
}

// dossier.html, the index page.
std::string render_index(const ReconcileResult& r) { return pages_of(r).at("dossier.html"); }

// Limits under which even the sample's two exhibits go to linked pages, as an archive's do.
DossierLimits paged(DossierLimits limits = {}) {
  limits.inline_exhibits_bytes = 0;
  return limits;
}

std::string all_pages(const std::map<std::string, std::string>& pages) {
  std::string all;
  for (const auto& [path, html] : pages) all += html;
  return all;
}

}  // namespace

TEST_CASE("hostile names in users, hosts and reasons are escaped in the dossier", "[pack][dossier]") {
  const std::string html = all_pages(pages_of(sample_result()));
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("=HYPERLINK(&quot;http://evil.example&quot;") != std::string::npos);
  CHECK(html.find("<script>x</script>") == std::string::npos);
}

TEST_CASE("every page of the dossier is self-contained: nothing is fetched from the network", "[pack][dossier]") {
  for (const auto& [path, html] : pages_of(sample_result())) {
    INFO(path);
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
}

TEST_CASE("a case whose exhibits fit keeps them in dossier.html, one file: one per challenged charge, after their index",
          "[pack][dossier]") {
  const auto pages = pages_of(sample_result());
  REQUIRE(pages.size() == 1);
  const std::string& index = pages.at("dossier.html");
  CHECK(occurrences(index, "<article class=\"exhibit\"") == 2);
  CHECK(occurrences(index, "<svg ") == 2);
  CHECK(index.find("id=\"exhibit-F0001\"") != std::string::npos);
  CHECK(index.find("id=\"exhibit-F0002\"") != std::string::npos);
  CHECK(index.find("exhibit-F0003") == std::string::npos);  // insufficient evidence: listed, not an exhibit
  // The index links to each exhibit in the same file, and precedes them.
  const auto link = index.find("<a href=\"dossier.html#exhibit-F0001\">F0001</a>");
  REQUIRE(link != std::string::npos);
  CHECK(link < index.find("id=\"exhibit-F0001\""));
  CHECK(index.find("logs/ws-0042-Security.xml#150") != std::string::npos);
  CHECK(index.find("4609 shutdown -&gt; 4608 boot") != std::string::npos);  // the power-off span's tooltip
  CHECK(index.find("break-before: page") != std::string::npos);            // print: one exhibit per sheet
  CHECK(index.find("exhibits, after this index") != std::string::npos);
  CHECK(index.find("exhibits/") == std::string::npos);

  // Past the bound by a byte, every exhibit goes to the linked pages.
  DossierLimits just_under;
  just_under.inline_exhibits_bytes = 1;
  CHECK(pages_of(sample_result(), just_under).size() == 3);
  // And when the page could not hold them beside every other list at its bound (and the frame).
  DossierLimits small_page;
  small_page.page_bytes = 500'000;
  small_page.list_bytes = 2'000;
  CHECK(pages_of(sample_result(), small_page).size() == 1);
  small_page.list_bytes = 100'000;
  CHECK(pages_of(sample_result(), small_page).size() == 3);
}

TEST_CASE("past the inline bound, one exhibit per challenged charge, on a linked page per rule and machine, each with a "
          "timeline and its evidence",
          "[pack][dossier]") {
  const auto pages = pages_of(sample_result(), paged());
  const std::string background = "exhibits/background.ws-0042.html";
  const std::string short_session = "exhibits/short-session._3cscript_3ealert_281_29_3c_2fscript_3e.html";
  CHECK(pages.size() == 3);
  REQUIRE(pages.count(background));
  REQUIRE(pages.count(short_session));
  const std::string& index = pages.at("dossier.html");
  // The index holds one line per exhibit with its link, and no exhibit itself.
  CHECK(occurrences(index, "<article class=\"exhibit\"") == 0);
  CHECK(occurrences(index, "<svg ") == 0);
  CHECK(index.find("<a href=\"" + background + "#exhibit-F0001\">F0001</a>") != std::string::npos);
  CHECK(index.find("<a href=\"" + short_session + "#exhibit-F0002\">F0002</a>") != std::string::npos);
  CHECK(index.find("exhibit-F0003") == std::string::npos);  // insufficient evidence: listed, not an exhibit

  const std::string& page = pages.at(background);
  CHECK(occurrences(page, "<article class=\"exhibit\"") == 1);
  CHECK(occurrences(page, "<svg ") == 1);
  CHECK(page.find("id=\"exhibit-F0001\"") != std::string::npos);
  CHECK(page.find("logs/ws-0042-Security.xml#150") != std::string::npos);
  CHECK(page.find("4609 shutdown -&gt; 4608 boot") != std::string::npos);  // the power-off span's tooltip
  CHECK(page.find("break-before: page") != std::string::npos);            // print: one exhibit per sheet
  CHECK(page.find("<a href=\"../dossier.html#exhibits\">") != std::string::npos);  // back to the index
  CHECK(occurrences(pages.at(short_session), "<article class=\"exhibit\"") == 1);
  CHECK(pages.at(short_session).find("id=\"exhibit-F0002\"") != std::string::npos);
}

TEST_CASE("the dossier states the money, the sources with hashes and the evidence to request", "[pack][dossier]") {
  const std::string html = render_index(sample_result());
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
  const std::string html = render_index(sample_result());
  CHECK(html.find("józef.żółć@corp.example") != std::string::npos);
}

TEST_CASE("a missing template is named in the error", "[pack][dossier]") {
  ScratchDir dir;
  try {
    render_dossier_pages(sample_result(), dir.path().string());
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
  const std::string html = render_index(r);
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
  const std::string html = render_index(r);
  CHECK(html.find("ask IT for the unfiltered Security channel of this host for the whole period") != std::string::npos);
  CHECK(html.find("EventRecordID 190 -&gt; 197") == std::string::npos);  // not listed gap by gap
  CHECK(html.find("EventRecordID 190 -> 197") == std::string::npos);
}

namespace {

// The sample result plus `hosts` x `per_host` challenged charges, each with a session on its host,
// and a source file per host: a large case in miniature.
ReconcileResult with_many_exhibits(std::size_t hosts, std::size_t per_host) {
  ReconcileResult r = sample_result();
  for (std::size_t h = 0; h < hosts; ++h) {
    const std::string host = "ws-" + std::to_string(10000 + h);
    r.sources.add({"logs/" + host + "-Security.xml", SourceKind::Events, "wevtutil-xml", std::string(64, 'd'), 4096, ""});
    HostTimeline& tl = r.timelines.hosts[host];
    tl.host = host;
    tl.has_security_log = true;
    for (std::size_t k = 0; k < per_host; ++k) {
      const Instant day = at("2025-03-03 00:00:00") + static_cast<Instant>(k) * kDay;
      Session s;
      s.id = h * 1000 + k + 10;
      s.host = host;
      s.user = "user" + std::to_string(h);
      s.span = {day + 8 * kHour, day + 17 * kHour};
      s.start_reason = "4624 LogonType 2";
      s.end_reason = "4647";
      tl.sessions.push_back(s);
      MeteringRow row = make_row(100 + r.rows.size(), "", "CORP\\user", "user", "", "", "ACD", "2025-03-03 02:00:00",
                                 kHour, 7.0);
      row.record_id = "C-" + std::to_string(h) + "-" + std::to_string(k);
      row.host = row.host_raw = host;
      row.start = day + 2 * kHour;
      row.end = day + 3 * kHour;
      r.rows.push_back(row);
      Finding f;
      f.id = "F" + std::to_string(100000 + r.results.findings.size());
      f.status = FindingStatus::Challenged;
      f.rule = "background";
      f.confidence = Confidence::High;
      f.row = r.rows.size() - 1;
      f.tokens_challenged = 7.0;
      f.reason = "no interactive user logged on";
      f.evidence = {row.ref()};
      r.results.findings.push_back(f);
    }
  }
  return r;
}

std::vector<std::string> article_ids(const std::string& html) {
  std::vector<std::string> ids;
  const std::regex article("<article class=\"exhibit\" id=\"exhibit-([A-Z0-9]+)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), article); it != std::sregex_iterator(); ++it)
    ids.push_back((*it)[1]);
  return ids;
}

}  // namespace

TEST_CASE("exhibit page names are safe for any host name: no traversal, file-system-safe, collision-free, stable",
          "[pack][dossier]") {
  const std::vector<std::string> hosts = {"ws-0042",  "WS-0042",  "ws_0042",  "ws.0042", "../../etc/passwd", "..", ".",
                                          "",         "_",        "con",      "a b",     "a\\b",  "a/b", "a:b",
                                          "józef-pc", "ws_2d0042", std::string("nul\0x", 5), std::string(300, 'a'),
                                          std::string(300, 'a') + "b", "<script>alert(1)</script>"};
  std::set<std::string> names;
  for (const std::string& host : hosts) {
    const std::string path = exhibit_page_path("background", host, 1);
    INFO(path);
    CHECK(path.rfind("exhibits/background.", 0) == 0);
    const std::string file = path.substr(std::string("exhibits/").size());
    CHECK(std::regex_match(file, std::regex("[a-z0-9._-]+")));  // one folder level, portable bytes only
    CHECK(file.find("..") == std::string::npos);
    CHECK(file.size() <= 160);                                   // far below any file system's limit
    CHECK(std::count(file.begin(), file.end(), '.') == 2);       // rule . host . html: the host adds none
    CHECK(exhibit_page_path("background", host, 1) == path);     // the same on every run
    names.insert(path);
  }
  CHECK(names.size() == hosts.size());  // no two hosts share a page, upper case and long names included
  CHECK(exhibit_page_path("background", "ws-0042", 1) == "exhibits/background.ws-0042.html");  // readable
  CHECK(exhibit_page_path("background", "ws-0042", 2) == "exhibits/background.ws-0042.2.html");
  CHECK(exhibit_page_path("background", "", 1) == "exhibits/background._.html");
  CHECK(page_name_component(std::string(300, 'a')) != page_name_component(std::string(299, 'a') + "b"));
}

TEST_CASE("a host with more exhibits than a page holds gets several parts, each within the bound, linked in order",
          "[pack][dossier]") {
  const ReconcileResult r = with_many_exhibits(2, 40);
  DossierLimits limits = paged();
  limits.page_bytes = 60'000;
  const auto pages = pages_of(r, limits);
  std::vector<std::string> seen;
  for (const auto& [path, html] : pages) {
    INFO(path);
    CHECK(html.size() <= limits.page_bytes);
    for (const std::string& id : article_ids(html)) seen.push_back(id);
  }
  // Every challenged finding is an exhibit exactly once.
  std::sort(seen.begin(), seen.end());
  CHECK(seen.size() == 82);
  CHECK(std::adjacent_find(seen.begin(), seen.end()) == seen.end());
  REQUIRE(pages.count("exhibits/background.ws-10000.html"));
  REQUIRE(pages.count("exhibits/background.ws-10000.2.html"));
  CHECK(pages.at("exhibits/background.ws-10000.html").find("<a href=\"background.ws-10000.2.html\">next part</a>") !=
        std::string::npos);
  CHECK(pages.at("exhibits/background.ws-10000.2.html").find("<a href=\"background.ws-10000.html\">previous part</a>") !=
        std::string::npos);
  // The index sends each exhibit to the part that holds it.
  const std::string& index = pages.at("dossier.html");
  for (const auto& [path, html] : pages)
    for (const std::string& id : article_ids(html)) {
      INFO(id);
      CHECK(index.find("<a href=\"" + path + "#exhibit-" + id + "\">") != std::string::npos);
    }
}

TEST_CASE("every link of every dossier page names a page of the dossier, and each page links back to the index",
          "[pack][dossier]") {
  DossierLimits limits = paged();
  limits.page_bytes = 60'000;
  limits.list_bytes = 2'000;
  limits.exhibit_index_bytes = 3'000;
  const auto pages = pages_of(with_many_exhibits(3, 12), limits);
  for (const auto& [path, html] : pages) {
    INFO(path);
    for (const std::string& target : linked_pack_files(html, path)) {
      INFO(target);
      CHECK(pages.count(target) == 1);
    }
    if (path != "dossier.html") {
      const auto links = linked_pack_files(html, path);
      CHECK(std::find(links.begin(), links.end(), "dossier.html") != links.end());
    }
  }
}

TEST_CASE("long lists are summarised in dossier.html and given in full on appendix pages", "[pack][dossier]") {
  DossierLimits limits = paged();
  limits.page_bytes = 60'000;
  limits.list_bytes = 2'000;
  limits.exhibit_index_bytes = 3'000;
  const ReconcileResult r = with_many_exhibits(120, 1);
  const auto pages = pages_of(r, limits);
  const std::string& index = pages.at("dossier.html");
  // Sources: counted by kind in the index, every file with its hash on the appendix pages.
  CHECK(index.find("<table class=\"sources\">") == std::string::npos);
  CHECK(index.find("123 files were given or found") != std::string::npos);
  CHECK(std::regex_search(index, std::regex("<td>events</td><td class=\"num\">121</td>")));
  REQUIRE(pages.count("appendix/sources-1.html"));
  CHECK(index.find("<a href=\"appendix/sources-1.html\">Files 1 &ndash; ") != std::string::npos);
  std::string appendix;
  for (const auto& [path, html] : pages)
    if (path.rfind("appendix/sources-", 0) == 0) appendix += html;
  for (const SourceFile& f : r.sources.all()) CHECK(appendix.find("<td class=\"name\">" + f.name + "</td>") != std::string::npos);
  // The exhibit index too: its parts link to the exhibits from the appendix folder.
  REQUIRE(pages.count("appendix/exhibit-index-1.html"));
  CHECK(index.find("<a href=\"appendix/exhibit-index-1.html\">Exhibits 1 &ndash; ") != std::string::npos);
  CHECK(pages.at("appendix/exhibit-index-1.html").find("<a href=\"../exhibits/background.ws-0042.html#exhibit-F0001\">") !=
        std::string::npos);
  for (const auto& [path, html] : pages) {
    INFO(path);
    CHECK(html.size() <= limits.page_bytes);
  }
  // Short lists stay in the index.
  CHECK(index.find("<a href=\"appendix/conflicts-1.html\">") == std::string::npos);
  CHECK(index.find("sign that an export was altered") != std::string::npos);
}

TEST_CASE("with 2,000 machines and 5,100 exhibits dossier.html stays under 3 MB and keeps one line per exhibit",
          "[pack][dossier]") {
  ReconcileResult r = with_many_exhibits(2000, 2);
  // A third charge on every other machine: 5,000 + the sample's 2.
  for (std::size_t h = 0; h < 2000; h += 2) {
    const std::size_t base = r.results.findings.size();
    r.results.findings.push_back(r.results.findings[4 + 2 * h]);
    r.results.findings.back().id = "F" + std::to_string(100000 + base);
  }
  REQUIRE(r.results.findings.size() == 5004);  // 4 of the sample (2 challenged) + 5,000
  const auto pages = pages_of(r);
  const std::string& index = pages.at("dossier.html");
  CHECK(index.size() <= 3'000'000);
  CHECK(occurrences(index, "<a href=\"exhibits/") == 5002);
  CHECK(pages.size() == 1 + 2 + 2000 + 1);  // the index, the sample's two exhibit pages, one per machine, the sources
  for (const auto& [path, html] : pages) {
    INFO(path);
    CHECK(html.size() <= 3'000'000);
  }
}

TEST_CASE("the links verify checks are resolved against the page's folder", "[pack][dossier]") {
  const std::string html =
      "<a href=\"exhibits/a.html#x\">a</a> <a href='#top'>top</a> <a HREF=\"../dossier.html\">up</a>"
      "<a href=\"https://example.com/x.html\">web</a> <a href=\"b.html?q=1\">b</a> <a href=\"/etc/passwd\">abs</a>"
      "<a href=\"../../outside.html\">out</a> <a href=\"c%2ed.html\">c</a> <a href=\"e&amp;f.html\">e</a>"
      "<p data-href=\"ignored.html\"></p> <a href=\"exhibits/a.html#y\">again</a> <img src=\"pic.png\">";
  CHECK(linked_pack_files(html, "exhibits/page.html") ==
        std::vector<std::string>{"exhibits/exhibits/a.html", "dossier.html", "exhibits/b.html", "outside:/etc/passwd",
                                 "outside:../../outside.html", "exhibits/c.d.html", "exhibits/e&f.html",
                                 "exhibits/pic.png"});
  CHECK(linked_pack_files(html, "dossier.html").front() == "exhibits/a.html");
}

TEST_CASE("an exhibit lists at most 200 evidence records and says how many more the pack holds", "[pack][dossier]") {
  ReconcileResult r = sample_result();
  const auto pages_before = pages_of(r, paged());
  CHECK(pages_before.at("exhibits/background.ws-0042.html").find("more records") == std::string::npos);
  for (std::uint64_t id = 1000; id < 1250; ++id) r.results.findings[0].evidence.push_back(EvidenceRef{1, id, false});
  const std::string page = pages_of(r, paged()).at("exhibits/background.ws-0042.html");
  CHECK(occurrences(page, "<td class=\"ref\">") == 200);
  CHECK(page.find("and 53 more records") != std::string::npos);  // 3 cited before + 250 added
}

TEST_CASE("hosts holding their events packed, as a run leaves them, give the same dossier pages", "[pack][dossier]") {
  ReconcileResult r = sample_result();
  r.results.findings.at(0).evidence.push_back(EvidenceRef{1, 100, false});  // the logon, with its fields
  const auto held = pages_of(r);
  // Every other host in the cited-events file (as a run leaves them), the others packed in memory.
  ScratchDir dir;
  const auto file = std::make_shared<PackedEventFile>(dir.path().string());
  bool on_file = true;
  for (auto& [name, host] : r.events.hosts) {
    pack_events(host, on_file ? file : nullptr);
    on_file = !on_file;
  }
  REQUIRE(file->size() > 0);
  const auto packed = pages_of(r);
  CHECK(held == packed);
  CHECK(occurrences(all_pages(packed), "TargetUserName=jdoe") > 0);  // the exhibits do describe events
}
