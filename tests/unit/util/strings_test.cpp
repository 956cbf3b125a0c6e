#include <catch2/catch.hpp>

#include "util/sha256.h"
#include "util/strings.h"

using namespace flexrecon;

TEST_CASE("service-account globs match case-insensitively") {
  CHECK(glob_match_ci("svc_*", "SVC_backup"));
  CHECK(glob_match_ci("*_svc", "render_svc"));
  CHECK_FALSE(glob_match_ci("svc_*", "adm_jdoe"));
  CHECK(glob_match_ci("a*b*c", "axxbyyc"));
  CHECK_FALSE(glob_match_ci("a*b*c", "axxbyy"));
}

TEST_CASE("token amounts are strict decimals with a dot") {
  double v = 0;
  CHECK(parse_decimal("7.0", v));
  CHECK(v == 7.0);
  CHECK(parse_decimal(" 10.5 ", v));
  CHECK_FALSE(parse_decimal("7,0", v));
  CHECK_FALSE(parse_decimal("1e3", v));
  CHECK_FALSE(parse_decimal("", v));
  CHECK_FALSE(parse_decimal("nan", v));
  CHECK(format_tokens(7) == "7.0");
  CHECK(format_tokens(10.25) == "10.25");
  CHECK(format_tokens(-0.0) == "0.0");
}

TEST_CASE("sha256 of known text") {
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("the short-buffer SHA-256 gives each buffer its own digest, the same as the streaming one") {
  const std::string long_text(1000, 'x');  // more than one 64-byte block
  for (const std::string_view text : {std::string_view("abc"), std::string_view(""), std::string_view(long_text)}) {
    const auto digest = sha256_bytes(text);
    std::string hex;
    for (const unsigned char b : digest) {
      hex += "0123456789abcdef"[b >> 4];
      hex += "0123456789abcdef"[b & 15];
    }
    CHECK(hex == sha256_hex(text));
  }
  const auto abc = sha256_bytes("abc");
  CHECK(abc[0] == 0xba);
  CHECK(abc[31] == 0xad);
}

TEST_CASE("text that is not UTF-8 is made UTF-8: Windows-1252 CSV cells and broken bytes") {
  CHECK(is_valid_utf8("M\xC3\xBCller"));
  CHECK_FALSE(is_valid_utf8("M\xFCller"));
  CHECK_FALSE(is_valid_utf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // a surrogate
  // Long text is checked eight ASCII bytes at a time: a bad byte anywhere after such a run still counts.
  CHECK(is_valid_utf8("WS-0042.corp.example \xC3\xBC and more ASCII text after it"));
  CHECK_FALSE(is_valid_utf8("WS-0042.corp.example \xFC and more ASCII text after it"));
  CHECK_FALSE(is_valid_utf8("0123456789abcdef\xFF"));
  CHECK_FALSE(is_valid_utf8("0123456\xE2\x82"));  // a sequence cut at the end, across the eight-byte boundary
  CHECK(windows1252_to_utf8("M\xFCller") == "M\xC3\xBCller");
  CHECK(windows1252_to_utf8("\x80 5") == "\xE2\x82\xAC 5");  // the euro sign
  CHECK(repair_utf8("ok \xFF ok") == "ok \xEF\xBF\xBD ok");
  CHECK(repair_utf8("M\xC3\xBCller") == "M\xC3\xBCller");
}

TEST_CASE("text cut to a byte budget never splits a 2-, 3- or 4-byte character") {
  const std::string e_acute = "\xC3\xA9", euro = "\xE2\x82\xAC", clef = "\xF0\x9D\x84\x9E";
  for (const std::string& ch : {e_acute, euro, clef}) {
    // The character straddles the limit at every possible offset: it is dropped whole.
    for (std::size_t inside = 1; inside < ch.size(); ++inside) {
      const std::string text = std::string(10 - inside, 'x') + ch + "tail";
      const std::string cut = truncate_utf8(text, 10);
      INFO("character of " << ch.size() << " bytes, " << inside << " of them before the limit");
      CHECK(cut == std::string(10 - inside, 'x'));
      CHECK(is_valid_utf8(cut));
    }
    // Ending exactly at the limit it is kept.
    const std::string fits = std::string(10 - ch.size(), 'x') + ch + "tail";
    CHECK(truncate_utf8(fits, 10) == std::string(10 - ch.size(), 'x') + ch);
  }
  CHECK(truncate_utf8("short", 10) == "short");
  CHECK(truncate_utf8("", 0).empty());
  CHECK(truncate_utf8(euro, 2).empty());
  // Bytes that are not UTF-8 at all are cut where asked: nothing to protect there.
  CHECK(truncate_utf8("abcd\x80\x80\x80\x80\x80", 6) == "abcd\x80\x80");
}
