#include <catch2/catch.hpp>

#include "flexrecon/reference_data.h"
#include "table_fixtures.h"
#include "tables/rules_files.h"

using namespace flexrecon;

TEST_CASE("settings.ini sets every threshold, the billing model, zone, confidence and patterns", "[settings]") {
  const Settings s = parse_settings(
      "# comment\n"
      "; another comment\n"
      "\n"
      "presence_tolerance_seconds = 90\n"
      "clock_tolerance_seconds=600   # ten minutes\n"
      "short_session_seconds = 240\n"
      "midnight_window_seconds = 30\n"
      "linked_logon_window_seconds = 45\r\n"
      "billing_model = calendar-day\n"
      "billing_tz = Europe/Berlin\n"
      "min_confidence = HIGH\n"
      "service_account_patterns = svc_*, robot?\n",
      "settings.ini");
  CHECK(s.presence_tolerance == 90 * kSecond);
  CHECK(s.clock_tolerance == 600 * kSecond);
  CHECK(s.short_session == 240 * kSecond);
  CHECK(s.midnight_window == 30 * kSecond);
  CHECK(s.linked_logon_window == 45 * kSecond);
  CHECK(s.billing_model == BillingModel::CalendarDay);
  CHECK(s.billing_tz == "Europe/Berlin");
  CHECK(s.min_confidence == Confidence::High);
  CHECK(s.service_account_patterns == std::vector<std::string>{"svc_*", "robot?"});
}

TEST_CASE("settings errors name the file and line", "[settings]") {
  CHECK_THROWS_WITH(parse_settings("# ok\n\npresence_tolernce_seconds = 5\n", "s.ini"),
                    "s.ini:3: unknown setting 'presence_tolernce_seconds'");
  CHECK_THROWS_WITH(parse_settings("billing_model rolling-24h\n", "s.ini"),
                    "s.ini:1: expected 'key = value', found 'billing_model rolling-24h'");
  CHECK_THROWS_WITH(parse_settings("\nbilling_model = monthly\n", "s.ini"),
                    "s.ini:2: billing_model 'monthly' is not rolling-24h or calendar-day");
  CHECK_THROWS_WITH(parse_settings("short_session_seconds = 5m\n", "s.ini"),
                    "s.ini:1: short_session_seconds '5m' is not a whole number of seconds (0 to 864000)");
  CHECK_THROWS_WITH(parse_settings("min_confidence = sure\n", "s.ini"),
                    "s.ini:1: min_confidence 'sure' is not high, medium or low");
  CHECK_THROWS_WITH(parse_settings("billing_tz = Mars/Olympus\n", "s.ini"),
                    "s.ini:1: billing_tz 'Mars/Olympus' is not a known time zone");
  CHECK_THROWS_WITH(parse_settings("min_confidence = low\nmin_confidence = high\n", "s.ini"),
                    "s.ini:2: min_confidence is set twice");
}

TEST_CASE("a threshold with more digits than any allowed value is refused, however many", "[settings]") {
  // 22 and 40 digits overflow a 64-bit accumulator: the refusal must not depend on what an overflow
  // would leave (fuzz/repro/tables/settings_seconds_22_digits.ini is the campaign's shape of it;
  // the fuzz build's UBSan replay of it catches the overflow itself).
  for (const std::string& digits :
       std::vector<std::string>{"8640000", "00000001", "6033333333333333333333", std::string(40, '9')}) {
    CHECK_THROWS_WITH(parse_settings("midnight_window_seconds = " + digits + "\n", "s.ini"),
                      "s.ini:1: midnight_window_seconds '" + digits + "' is not a whole number of seconds (0 to 864000)");
  }
  CHECK(parse_settings("midnight_window_seconds = 0864000\n", "s.ini").midnight_window == 864000 * kSecond);
}

TEST_CASE("the default service-account patterns catch services but not admin humans", "[settings]") {
  const Settings s;
  CHECK(s.is_service_account("svc_backup"));
  CHECK(s.is_service_account("SVC-Deploy"));
  CHECK(s.is_service_account("render_svc"));
  CHECK(s.is_service_account("sa_sql"));
  CHECK_FALSE(s.is_service_account("adm_jdoe"));
  CHECK_FALSE(s.is_service_account("jdoe"));
  CHECK_FALSE(s.is_service_account("svcjdoe"));
}

TEST_CASE("confidence names round-trip and unknown names are refused", "[settings]") {
  for (Confidence c : {Confidence::Low, Confidence::Medium, Confidence::High}) {
    CHECK(parse_confidence(confidence_name(c)) == c);
  }
  CHECK(parse_confidence(" Medium ") == Confidence::Medium);
  CHECK_FALSE(parse_confidence("certain").has_value());
}

TEST_CASE("the shipped settings.ini states the SPEC defaults", "[settings]") {
  SourceTable sources;
  const RulesFolder rules = read_rules_folder(test::shipped_rules_dir(), sources);
  const Settings defaults;
  CHECK(rules.settings.presence_tolerance == defaults.presence_tolerance);
  CHECK(rules.settings.clock_tolerance == defaults.clock_tolerance);
  CHECK(rules.settings.short_session == defaults.short_session);
  CHECK(rules.settings.midnight_window == defaults.midnight_window);
  CHECK(rules.settings.billing_model == defaults.billing_model);
  CHECK(rules.settings.billing_tz == defaults.billing_tz);
  CHECK(rules.settings.min_confidence == defaults.min_confidence);
  CHECK(rules.settings.service_account_patterns == defaults.service_account_patterns);
  CHECK(rules.settings.max_archive_member_bytes == defaults.max_archive_member_bytes);
}

TEST_CASE("the archive member cap is set in MiB and refuses nonsense", "[settings]") {
  CHECK(parse_settings("max_archive_member_mib = 512\n", "s.ini").max_archive_member_bytes == 512ull << 20);
  CHECK_THROWS_WITH(parse_settings("max_archive_member_mib = 0\n", "s.ini"),
                    "s.ini:1: max_archive_member_mib '0' is not a whole number of MiB above 0");
  CHECK_THROWS_WITH(parse_settings("max_archive_member_mib = 1.5\n", "s.ini"),
                    "s.ini:1: max_archive_member_mib '1.5' is not a whole number of MiB above 0");
}
