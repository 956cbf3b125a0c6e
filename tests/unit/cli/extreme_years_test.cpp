// Metering times far from today under --metering-tz and --billing-tz, replayed from the inputs
// that once made the whole run exit 4 (../shared/data/fuzz-repro): each row is evaluated in its
// zone, or rejected alone with its line when no four-digit UTC timestamp can show it.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "support/run_binary.h"

using namespace flexrecon::test;
namespace fs = std::filesystem;

namespace {

const std::string kSamples = std::string(FLEXRECON_SOURCE_DIR) + "/samples";

// The fuzz reproducers; missing data is a failure, never a skipped test.
std::string repro(const std::string& name) {
  const fs::path dir = fs::path(FLEXRECON_SOURCE_DIR) / ".." / "shared" / "data" / "fuzz-repro";
  INFO("the fuzz reproducers are read from " << dir.string());
  REQUIRE(fs::is_regular_file(dir / name));
  return (dir / name).string();
}

struct Pack {
  RunResult run;
  fs::path dir;
};

Pack reconcile(const std::string& name, const std::string& metering, std::vector<std::string> extra) {
  Pack p;
  p.dir = fresh_dir(name) / "pack";
  std::vector<std::string> args = {"reconcile", "--metering", metering, "--events", kSamples + "/events", "--quiet",
                                   "--out",     p.dir.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  p.run = run_flexrecon(args);
  INFO(p.run.out);
  REQUIRE(p.run.exit_code == 0);
  return p;
}

// start_utc of every metering row in the pack's evidence store, in line order.
std::vector<std::string> stored_starts(const fs::path& pack) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2((pack / "evidence.sqlite").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT start_utc FROM metering_rows ORDER BY line", -1, &st, nullptr) == SQLITE_OK);
  std::vector<std::string> starts;
  while (sqlite3_step(st) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(st, 0);
    starts.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return starts;
}

}  // namespace

TEST_CASE("a metering start in year 1013 under --metering-tz is converted with the zone's local mean time") {
  const auto p = reconcile("year-1013", repro("metering_badyear_1013.csv"), {"--metering-tz", "America/Chicago"});
  CHECK(read_csv(p.dir / "rejects.csv").empty());
  const auto summary = nlohmann::json::parse(read_file(p.dir / "summary.json"));
  CHECK(summary["metering"]["accepted"] == 1);
  CHECK(summary["metering"]["charges"] == 1);
  // 09:30 at Chicago's local mean time, -5:50:36.
  CHECK(stored_starts(p.dir) == std::vector<std::string>{"1013-11-05T15:20:36.000000Z"});
}

TEST_CASE("a metering start late on 9999-12-31 west of UTC is rejected alone with its line - east of UTC it is kept") {
  const std::string file = repro("metering_badyear_9999.csv");
  const auto west = reconcile("year-9999-west", file, {"--metering-tz", "America/Chicago"});
  const auto rejects = read_csv(west.dir / "rejects.csv");
  REQUIRE(rejects.size() == 1);
  CHECK(rejects[0].at("source") == file);
  CHECK(rejects[0].at("location") == "line 2");
  CHECK(rejects[0].at("reason") ==
        "sessionStartDate '9999-12-31 23:00:00' in America/Chicago is outside the years 0000-9999 in UTC");
  CHECK(stored_starts(west.dir).empty());

  const auto east = reconcile("year-9999-east", file, {"--metering-tz", "Asia/Tokyo"});
  CHECK(read_csv(east.dir / "rejects.csv").empty());
  CHECK(stored_starts(east.dir) == std::vector<std::string>{"9999-12-31T14:00:00.000000Z"});
}

TEST_CASE("charges in year 1013 under --billing-tz are judged on their billing day in the zone") {
  const std::string file = repro("metering_badyear_billingtz.csv");
  for (const std::string model : {"calendar-day", "rolling-24h"}) {
    INFO("--billing-model " << model);
    const auto p =
        reconcile("year-1013-billing-" + model, file, {"--billing-tz", "America/Chicago", "--billing-model", model});
    CHECK(read_csv(p.dir / "rejects.csv").empty());
    // LRT-1 opens the window (or the day); LRT-2 starts 14 h 54 min later, the same local day.
    bool second_is_double = false;
    for (const auto& f : read_csv(p.dir / "findings.csv")) {
      if (f.at("metering_record_id") == "LRT-1") CHECK(f.at("status") != "challenged");
      if (f.at("metering_record_id") == "LRT-2" && f.at("status") == "challenged") {
        CHECK(f.at("rule") == "double-charge");
        if (model == "calendar-day")
          CHECK_THAT(f.at("reason"), Catch::Contains("billing day 1013-11-02 (America/Chicago)"));
        second_is_double = true;
      }
    }
    CHECK(second_is_double);
  }
}
