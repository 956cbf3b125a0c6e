#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "pack_fixture.h"

using namespace flexrecon;
using namespace flexrecon::test;
using nlohmann::json;

TEST_CASE("summary.json counts rows, events and findings as the run saw them", "[pack][summary]") {
  const json j = json::parse(summary_json(sample_result()));
  CHECK(j["metering"]["rows"] == 5);
  CHECK(j["metering"]["accepted"] == 4);
  CHECK(j["metering"]["rejected"] == 1);
  CHECK(j["metering"]["charges"] == 3);
  CHECK(j["events"]["read"] == 9);
  CHECK(j["events"]["used"] == 4);
  CHECK(j["events"]["rejected"] == 1);
  CHECK(j["events"]["duplicates"] == 2);
  CHECK(j["events"]["conflicts"] == 1);
  CHECK(j["events"]["files"] == 1);
  CHECK(j["events"]["files_rejected"] == 0);
  CHECK(j["hosts"] == 1);
  CHECK(j["sessions"] == 1);
  CHECK(j["findings"]["challenged"] == 2);
  CHECK(j["findings"]["insufficient-evidence"] == 1);
  CHECK(j["findings"]["note"] == 1);
  CHECK(j["not_evaluable"]["misclassification"] == 1);
}

TEST_CASE("challenged tokens are totalled per rule and the rest is what remains billed", "[pack][summary]") {
  const json j = json::parse(summary_json(sample_result()));
  CHECK(j["tokens"]["billed"] == 24.0);
  CHECK(j["tokens"]["challenged"] == 14.0);
  CHECK(j["tokens"]["challenged_by_rule"] == json({{"background", 7.0}, {"short-session", 7.0}}));
  CHECK(j["tokens"]["insufficient_evidence"] == 10.0);  // the whole charge that could not be judged
  CHECK(j["tokens"]["remaining"] == 10.0);
}

TEST_CASE("the shortfall before and after the challenge is valued at negotiated and list price", "[pack][summary]") {
  const json j = json::parse(summary_json(sample_result()));
  // billed 24, entitlement 10: the audit claims 14; after 14 challenged tokens nothing is short.
  CHECK(j["shortfall"]["tokens_before"] == 14.0);
  CHECK(j["shortfall"]["tokens_after"] == 0.0);
  CHECK(j["value"]["at_list_price"]["shortfall_before"] == 56.0);
  CHECK(j["value"]["at_list_price"]["shortfall_after"] == 0.0);
  CHECK(j["value"]["at_token_price"]["shortfall_before"] == 35.0);
  CHECK(j["value"]["at_token_price"]["challenged"] == 35.0);
}

TEST_CASE("without entitlement or prices the summary has no money section", "[pack][summary]") {
  ReconcileResult r = sample_result();
  r.options.entitlement.reset();
  r.options.token_price.reset();
  r.options.list_price.reset();
  const json j = json::parse(summary_json(r));
  CHECK_FALSE(j.contains("shortfall"));
  CHECK_FALSE(j.contains("value"));
}

TEST_CASE("token sums do not pick up floating-point noise", "[pack][summary]") {
  ReconcileResult r = sample_result();
  r.rows[0].tokens = 0.1;
  r.rows[1].tokens = 0.2;
  r.rows[2].tokens = 0.0;
  const std::string text = summary_json(r);
  CHECK(json::parse(text)["tokens"]["billed"] == 0.3);
  CHECK(text.find("0.30000000000000004") == std::string::npos);
}

TEST_CASE("summary.json keys come out sorted so the text is stable", "[pack][summary]") {
  const std::string text = summary_json(sample_result());
  CHECK(text.find("\"events\"") < text.find("\"findings\""));
  CHECK(text.find("\"findings\"") < text.find("\"metering\""));
  CHECK(text.find("\"metering\"") < text.find("\"tokens\""));
  CHECK(text == summary_json(sample_result()));
}
