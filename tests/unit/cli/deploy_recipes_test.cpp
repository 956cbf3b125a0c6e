// The deploy/ recipes (deploy/README.md) run for real on the sample case: the split, the GNU parallel
// recipe on one machine, the Slurm recipe's submissions (to a stand-in sbatch) then its array task
// and reconcile scripts with SLURM_ARRAY_TASK_ID set by hand, and the Kubernetes Indexed Job's per-pod command with JOB_COMPLETION_INDEX set by hand. A
// sharded run must write the direct run's findings.csv (and rejects.csv) byte for byte.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>

#include "support/run_binary.h"

using namespace flexrecon::test;
namespace fs = std::filesystem;

namespace {

const std::string kSource = FLEXRECON_SOURCE_DIR;
const std::string kSamples = kSource + "/samples";
const std::string kDeploy = kSource + "/deploy";

// Runs one shell command line in `cwd` with flexrecon as $FLEXRECON, as a user's shell would.
RunResult run_shell(const std::string& line, const fs::path& cwd) {
  static int counter = 0;
  const auto log = fs::temp_directory_path() /
                   ("flexrecon-deploy-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".log");
  const std::string cmd = "cd " + shell_quote(cwd.string()) + " && FLEXRECON=" + shell_quote(FLEXRECON_BINARY) +
                          " bash -c " + shell_quote(line) + " > " + shell_quote(log.string()) + " 2>&1 < /dev/null";
  const int status = std::system(cmd.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(log);
  fs::remove(log);
  return r;
}

std::string quoted(const std::vector<std::string>& args) {
  std::string s;
  for (const auto& a : args) s += " " + shell_quote(a);
  return s;
}

// The sample case's reconcile options other than its event inputs (the sample case test's).
std::vector<std::string> reconcile_options(const fs::path& out) {
  return {"--metering", kSamples + "/metering.csv", "--inventory", kSamples + "/inventory.csv",
          "--identities", kSamples + "/identities.csv", "--rates", kSamples + "/contract-rates.csv",
          "--entitlement", "120", "--as-of", "2026-11-30", "--quiet", "--out", out.string()};
}

// The direct run over samples/events, written once for the whole file (removed at exit).
const fs::path& direct_pack() {
  static const TempDir folder;
  static const fs::path out = [] {
    const auto dir = folder.path() / "pack";
    auto args = reconcile_options(dir);
    args.insert(args.begin(), {"reconcile", "--events", kSamples + "/events"});
    const auto r = run_flexrecon(args);
    INFO(r.out);
    REQUIRE(r.exit_code == 0);
    return dir;
  }();
  return out;
}

// A sharded run's pack says what the direct run's says: the same findings and the same rejects
// (nothing the direct run reported is lost on the way through the stores), byte for byte.
void check_same_as_direct(const fs::path& pack) {
  CHECK(read_file(pack / "findings.csv") == read_file(direct_pack() / "findings.csv"));
  CHECK(read_file(pack / "rejects.csv") == read_file(direct_pack() / "rejects.csv"));
}

std::vector<std::string> lines_of(const fs::path& p) {
  std::vector<std::string> lines;
  std::istringstream in(read_file(p));
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

RunResult split(const fs::path& case_dir, int shares, const std::string& inputs) {
  return run_shell(kDeploy + "/split-inputs --shares " + std::to_string(shares) + " --out " +
                       shell_quote((case_dir / "shares").string()) + " " + shell_quote(inputs),
                   case_dir);
}

// A number set in a manifest, e.g. "completions: 4".
int yaml_number(const std::string& text, const std::string& key) {
  std::smatch m;
  REQUIRE(std::regex_search(text, m, std::regex("\\n\\s*" + key + ":\\s*(\\d+)")));
  return std::stoi(m[1]);
}

}  // namespace

TEST_CASE("split-inputs deals every sample event file to exactly one share, the same lists on every run", "[deploy]") {
  TempDir a, b;
  const auto first = split(a.path(), 3, kSamples + "/events");
  INFO(first.out);
  REQUIRE(first.exit_code == 0);
  REQUIRE(split(b.path(), 3, kSamples + "/events").exit_code == 0);

  std::multiset<std::string> dealt;
  std::vector<std::uint64_t> share_bytes;
  for (int k = 0; k < 3; ++k) {
    const std::string name = "shares/share-" + std::to_string(k) + ".txt";
    CHECK(read_file(a.path() / name) == read_file(b.path() / name));
    std::uint64_t bytes = 0;
    for (const auto& path : lines_of(a.path() / name)) {
      dealt.insert(path);
      bytes += fs::file_size(path);
    }
    share_bytes.push_back(bytes);
  }
  CHECK_FALSE(fs::exists(a.path() / "shares/share-3.txt"));
  CHECK_FALSE(fs::exists(a.path() / "shares/not-dealt.txt"));

  // Exactly the files flexrecon's walk reads (archives as one file), named as it names them.
  std::multiset<std::string> walked;
  std::uint64_t largest = 0;
  for (const auto& e : fs::recursive_directory_iterator(kSamples + "/events"))
    if (e.is_regular_file()) {
      walked.insert(e.path().string());
      largest = std::max<std::uint64_t>(largest, e.file_size());
    }
  CHECK(walked.size() == 9);
  CHECK(dealt == walked);
  // Largest first to the lightest share: no share outweighs another by more than one file.
  const auto [lightest, heaviest] = std::minmax_element(share_bytes.begin(), share_bytes.end());
  CHECK(*heaviest - *lightest <= largest);
}

TEST_CASE("split-inputs lists a share in the order flexrecon's walk reads it, and more shares than files leaves some empty", "[deploy]") {
  TempDir case_dir;
  const auto in = case_dir.path() / "logs";
  for (const char* name : {"sub/a.xml", "sub-z.xml", "sub.xml", "B.xml"}) case_dir.write("logs/" + std::string(name), "x");
  const auto r = split(case_dir.path(), 6, in.string() + "/");
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> all;
  int empty = 0;
  for (int k = 0; k < 6; ++k) {
    const auto lines = lines_of(case_dir.path() / ("shares/share-" + std::to_string(k) + ".txt"));
    empty += lines.empty();
    all.insert(all.end(), lines.begin(), lines.end());
  }
  CHECK(empty == 2);
  // Equal sizes: dealt in walk order, share 0 first. A folder's names sort byte-wise and a
  // subfolder is read where its name sorts ("sub" before "sub-z.xml"), as in event_inputs.cpp.
  const std::string dir = in.string() + "/";
  CHECK(all == std::vector<std::string>{dir + "B.xml", dir + "sub/a.xml", dir + "sub-z.xml", dir + "sub.xml"});
}

TEST_CASE("split-inputs never deals what flexrecon's walk refuses, and lists it with the walk's reason", "[deploy]") {
  TempDir case_dir;
  const auto in = case_dir.path() / "logs";
  case_dir.write("logs/Security.xml", "<Event/>");
  case_dir.write("elsewhere/System.xml", "<Event/>");
  REQUIRE(::mkfifo((in / "pipe").c_str(), 0600) == 0);
  fs::create_directory_symlink(case_dir.path() / "elsewhere", in / "linked-folder");
  fs::create_symlink(case_dir.path() / "gone.xml", in / "dangling.xml");
  const auto r = split(case_dir.path(), 2, in.string());
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  std::vector<std::string> dealt;
  for (int k = 0; k < 2; ++k)
    for (const auto& line : lines_of(case_dir.path() / ("shares/share-" + std::to_string(k) + ".txt"))) dealt.push_back(line);
  CHECK(dealt == std::vector<std::string>{(in / "Security.xml").string()});
  CHECK(lines_of(case_dir.path() / "shares/not-dealt.txt") ==
        std::vector<std::string>{(in / "dangling.xml").string() + "\tbroken symbolic link",
                                 (in / "linked-folder").string() + "\tsymbolic link to a directory not followed",
                                 (in / "pipe").string() + "\tskipped: FIFO"});
  CHECK(r.out.find("not dealt: " + (in / "pipe").string()) != std::string::npos);
}

TEST_CASE("split-inputs refuses a missing input and a folder that already holds share lists", "[deploy]") {
  TempDir case_dir;
  auto r = split(case_dir.path(), 2, (case_dir.path() / "no-such-logs").string());
  CHECK(r.exit_code == 3);
  CHECK(r.out.find("no such file or directory") != std::string::npos);
  REQUIRE(split(case_dir.path(), 2, kSamples + "/events").exit_code == 0);
  r = split(case_dir.path(), 3, kSamples + "/events");
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("already holds share lists") != std::string::npos);
}

TEST_CASE("the GNU parallel recipe, 3 shares on one machine, writes the direct run's findings.csv and rejects.csv byte for byte", "[deploy]") {
  TempDir work;
  const auto case_dir = work.path() / "case";
  const auto pack = work.path() / "pack";
  const auto r = run_shell(kDeploy + "/parallel/shard-reconcile --shares 3 --jobs 3 --case " +
                               shell_quote(case_dir.string()) + " --events " + shell_quote(kSamples + "/events") +
                               " --" + quoted(reconcile_options(pack)),
                           work.path());
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  for (int k = 0; k < 3; ++k) CHECK(fs::exists(case_dir / ("stores/shard-" + std::to_string(k) + ".sqlite")));
  check_same_as_direct(pack);
}

TEST_CASE("the GNU parallel recipe through an sshloginfile (this machine, ':') with stores written on scratch gives the direct run's findings.csv and rejects.csv", "[deploy]") {
  // No ssh hosts here: ':' takes GNU parallel's remote path (--sshloginfile, --workdir) on this
  // machine, and --scratch writes each store outside the case folder first.
  TempDir work;
  const auto case_dir = work.path() / "case";
  const auto pack = work.path() / "pack";
  work.write("machines", ":\n");
  const auto r = run_shell(kDeploy + "/parallel/shard-reconcile --shares 2 --sshloginfile machines --scratch " +
                               shell_quote((work.path() / "local-disk").string()) + " --case " + shell_quote(case_dir.string()) +
                               " --events " + shell_quote(kSamples + "/events") + " --" + quoted(reconcile_options(pack)),
                           work.path());
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  for (int k = 0; k < 2; ++k) {
    CHECK(fs::exists(case_dir / ("stores/shard-" + std::to_string(k) + ".sqlite")));
    CHECK_FALSE(fs::exists(work.path() / ("local-disk/shard-" + std::to_string(k) + ".sqlite")));
  }
  check_same_as_direct(pack);
}

// A stand-in for sbatch: keeps each submission's arguments (one a line, SBATCH_LOG/1, /2...) and
// answers as `sbatch --parsable` does with a job id, the first with a cluster name as some sites do.
const char* const kFakeSbatch = R"(#!/bin/bash
mkdir -p "$SBATCH_LOG"
n=$(( $(find "$SBATCH_LOG" -type f | wc -l) + 1 ))
printf '%s\n' "$@" > "$SBATCH_LOG/$n"
if [ "$n" = 1 ]; then echo "4001;cluster-a"; else echo 4002; fi
)";

// "--export=ALL,A=x,B=y" as a shell prefix "A='x' B='y' ".
std::string exported_env(const std::string& export_option) {
  const std::string prefix = "--export=ALL,";
  REQUIRE(export_option.rfind(prefix, 0) == 0);
  std::string env;
  std::istringstream items(export_option.substr(prefix.size()));
  for (std::string item; std::getline(items, item, ',');) {
    const auto eq = item.find('=');
    REQUIRE(eq != std::string::npos);
    env += item.substr(0, eq) + "=" + shell_quote(item.substr(eq + 1)) + " ";
  }
  return env;
}

TEST_CASE("the Slurm recipe: submit queues an array task per share and a reconcile job after them, and running them as Slurm would gives the direct run's findings.csv and rejects.csv", "[deploy]") {
  TempDir work;
  const auto case_dir = work.path() / "case";
  const auto pack = work.path() / "pack";
  fs::create_directories(work.path() / "bin");
  const auto sbatch = work.write("bin/sbatch", kFakeSbatch);
  fs::permissions(sbatch, fs::perms::owner_all);
  const std::string log = (work.path() / "sbatch").string();
  const auto submitted = run_shell("PATH=" + shell_quote((work.path() / "bin").string()) + ":$PATH SBATCH_LOG=" + shell_quote(log) + " " +
                                       shell_quote(kDeploy + "/slurm/submit") + " --shares 3 --case " + shell_quote(case_dir.string()) +
                                       " --events " + shell_quote(kSamples + "/events") + " --" + quoted(reconcile_options(pack)),
                                   kSource);
  INFO(submitted.out);
  REQUIRE(submitted.exit_code == 0);
  CHECK(submitted.out.find("ingest array job 4001 (3 tasks), reconcile job 4002") != std::string::npos);

  // The array: one task per share, the case and deploy/ exported, the ingest script.
  const auto array = lines_of(log + "/1");
  REQUIRE(array.size() == 4);
  CHECK(array[0] == "--parsable");
  CHECK(array[1] == "--array=0-2");
  CHECK(array[2] == "--export=ALL,FLEXRECON_CASE=" + case_dir.string() + ",FLEXRECON_DEPLOY=" + kDeploy);
  CHECK(array[3] == kDeploy + "/slurm/ingest-array.sbatch");
  // The reconcile job: after every task succeeded (the id without the cluster name), the reconcile
  // options passed on as they were given.
  const auto reconcile = lines_of(log + "/2");
  REQUIRE(reconcile.size() == 4 + reconcile_options(pack).size());
  CHECK(reconcile[1] == "--dependency=afterok:4001");
  CHECK(reconcile[2] == array[2]);
  CHECK(reconcile[3] == kDeploy + "/slurm/reconcile.sbatch");
  CHECK(std::vector<std::string>(reconcile.begin() + 4, reconcile.end()) == reconcile_options(pack));
  CHECK_FALSE(fs::exists(log + "/3"));

  // What Slurm would then run: each array index in the submission folder with the exported
  // variables, then the reconcile job with its arguments.
  const std::string env = exported_env(array[2]) + "SLURM_SUBMIT_DIR=" + shell_quote(kSource) + " SLURM_CPUS_PER_TASK=2 ";
  for (int k = 0; k < 3; ++k) {
    const auto task = run_shell(env + "SLURM_ARRAY_TASK_ID=" + std::to_string(k) + " " + shell_quote(array[3]), kSource);
    INFO(task.out);
    REQUIRE(task.exit_code == 0);
  }
  const auto r = run_shell(env + shell_quote(reconcile[3]) + quoted({reconcile.begin() + 4, reconcile.end()}), kSource);
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  check_same_as_direct(pack);
}

TEST_CASE("the Kubernetes Indexed Job's pod command run locally for each JOB_COMPLETION_INDEX gives the direct run's findings.csv and rejects.csv", "[deploy]") {
  // The manifests as a cluster would get them: the split's share count is the Job's completions,
  // and each pod runs ingest-index.sh from the image's copy of deploy/ (deploy/Dockerfile).
  const std::string split_job = read_file(kDeploy + "/kubernetes/split-job.yaml");
  const std::string ingest_job = read_file(kDeploy + "/kubernetes/ingest-job.yaml");
  std::smatch m;
  REQUIRE(std::regex_search(split_job, m, std::regex("\"--shares\", \"(\\d+)\"")));
  const int shares = std::stoi(m[1]);
  CHECK(yaml_number(ingest_job, "completions") == shares);
  CHECK(ingest_job.find("completionMode: Indexed") != std::string::npos);
  CHECK(ingest_job.find("command: [\"/opt/flexrecon/deploy/kubernetes/ingest-index.sh\"]") != std::string::npos);
  CHECK(ingest_job.find("{name: FLEXRECON_SCRATCH, value: /tmp/store}") != std::string::npos);
  CHECK(read_file(kDeploy + "/Dockerfile").find("cp -r /src/flexrecon/deploy /opt/flexrecon/deploy") != std::string::npos);

  TempDir work;
  const auto case_dir = work.path() / "case";
  fs::create_directories(case_dir);
  REQUIRE(split(case_dir, shares, kSamples + "/events").exit_code == 0);
  for (int k = 0; k < shares; ++k) {
    // As ingest-job.yaml sets them: the case, and a scratch folder (the pod's emptyDir) for the store.
    const auto pod = run_shell("FLEXRECON_CASE=" + shell_quote(case_dir.string()) + " FLEXRECON_SCRATCH=" +
                                   shell_quote((work.path() / "pod-tmp/store").string()) + " JOB_COMPLETION_INDEX=" +
                                   std::to_string(k) + " " + shell_quote(kDeploy + "/kubernetes/ingest-index.sh") + " --jobs 2",
                               case_dir);
    INFO(pod.out);
    REQUIRE(pod.exit_code == 0);
    CHECK(fs::exists(case_dir / ("stores/shard-" + std::to_string(k) + ".sqlite")));
    CHECK_FALSE(fs::exists(work.path() / ("pod-tmp/store/shard-" + std::to_string(k) + ".sqlite")));
  }
  const auto pack = work.path() / "pack";
  const auto r = run_shell(shell_quote(kDeploy + "/reconcile-shards") + quoted({(case_dir / "shares").string(), (case_dir / "stores").string()}) +
                               quoted(reconcile_options(pack)),
                           case_dir);
  INFO(r.out);
  REQUIRE(r.exit_code == 0);
  check_same_as_direct(pack);
}

TEST_CASE("reconcile-shards refuses when a share's ingest did not run or the shares were split again, and writes nothing", "[deploy]") {
  TempDir work;
  const auto case_dir = work.path() / "case";
  fs::create_directories(case_dir);
  REQUIRE(split(case_dir, 3, kSamples + "/events").exit_code == 0);
  const auto ingest = [&](int k) {
    return run_shell(shell_quote(kDeploy + "/ingest-share") +
                         quoted({(case_dir / "shares").string(), std::to_string(k), (case_dir / "stores").string(), "--quiet"}),
                     case_dir);
  };
  REQUIRE(ingest(0).exit_code == 0);
  REQUIRE(ingest(2).exit_code == 0);
  const auto pack = work.path() / "pack";
  const auto reconcile = [&] {
    return run_shell(shell_quote(kDeploy + "/reconcile-shards") + quoted({(case_dir / "shares").string(), (case_dir / "stores").string()}) +
                         quoted(reconcile_options(pack)),
                     case_dir);
  };
  auto r = reconcile();
  CHECK(r.exit_code == 3);
  CHECK(r.out.find("share 1 (") != std::string::npos);
  CHECK_FALSE(fs::exists(pack));

  // A worker index the split did not write is refused, not taken as an empty share.
  const auto beyond = ingest(3);
  CHECK(beyond.exit_code == 2);
  CHECK(beyond.out.find("has 3 shares") != std::string::npos);

  // Share 1's list changed after share 1 was ingested: its store no longer answers for the list.
  REQUIRE(ingest(1).exit_code == 0);
  {
    std::ofstream list(case_dir / "shares/share-1.txt", std::ios::app);
    list << kSamples << "/metering.csv\n";
  }
  r = reconcile();
  CHECK(r.exit_code == 3);
  CHECK(r.out.find("split again since") != std::string::npos);
  CHECK_FALSE(fs::exists(pack));
}

TEST_CASE("a share with a file flexrecon could not read is not complete: ingest-share fails and reconcile-shards refuses", "[deploy]") {
  TempDir work;
  const auto case_dir = work.path() / "case";
  fs::create_directories(case_dir);
  fs::copy(kSamples + "/events/ws-0101", work.path() / "logs");
  REQUIRE(split(case_dir, 1, (work.path() / "logs").string()).exit_code == 0);
  fs::remove(work.path() / "logs/system.xml");  // gone between the split and the ingest
  const auto ingest = run_shell(shell_quote(kDeploy + "/ingest-share") +
                                    quoted({(case_dir / "shares").string(), "0", (case_dir / "stores").string(), "--quiet"}),
                                case_dir);
  INFO(ingest.out);
  CHECK(ingest.exit_code == 3);
  CHECK(ingest.out.find("not stored: " + (work.path() / "logs/system.xml").string()) != std::string::npos);
  CHECK(ingest.out.find("share 0 is not complete: 1 of its files could not be read") != std::string::npos);
  CHECK(fs::exists(case_dir / "stores/shard-0.sqlite"));  // what was read stays, for the rerun
  CHECK_FALSE(fs::exists(case_dir / "stores/shard-0.done"));
  const auto pack = work.path() / "pack";
  const auto r = run_shell(shell_quote(kDeploy + "/reconcile-shards") + quoted({(case_dir / "shares").string(), (case_dir / "stores").string()}) +
                               quoted(reconcile_options(pack)),
                           case_dir);
  CHECK(r.exit_code == 3);
  CHECK_FALSE(fs::exists(pack));
}

TEST_CASE("every deploy script parses as bash", "[deploy]") {
  for (const char* script : {"split-inputs", "ingest-share", "reconcile-shards", "parallel/shard-reconcile",
                             "slurm/ingest-array.sbatch", "slurm/reconcile.sbatch", "slurm/submit",
                             "kubernetes/ingest-index.sh"}) {
    INFO(script);
    const auto r = run_shell("bash -n " + shell_quote(kDeploy + "/" + script), kSource);
    INFO(r.out);
    CHECK(r.exit_code == 0);
  }
}
