// Load on a real `presgen serve` (loopback only, bounded counts): N clients hold event
// streams open on a job in review while C clients make R requests for a job, and a render
// runs. Prints one JSON object: streams held, requests, errors, latency p50/p99/max, the
// server's RSS, threads and open files after the load. Exit 1 when more than --max-errors
// requests failed or a stream was dropped (for the CTest smoke run; times are reported, not
// judged).
//
//   serve_load --presgen BIN --input VIDEO [--streams 200] [--clients 64] [--requests 4000]
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

struct Args {
  std::string presgen, input;
  int streams = 200, clients = 64, requests = 4000, max_errors = 0;
};

std::string StatusField(int pid, const std::string& key) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) == 0) {
      std::string v = line.substr(key.size() + 1);
      v.erase(0, v.find_first_not_of(" \t"));
      return v;
    }
  }
  return "";
}

int OpenFiles(int pid) {
  int n = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++n;
  }
  return n;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string Upload(httplib::Client& c, const std::string& video, const std::string& options) {
  httplib::MultipartFormDataItems items = {{"file", video, "pitch.mp4", "video/mp4"},
                                           {"options", options, "", "application/json"}};
  auto res = c.Post("/v1/jobs", items);
  if (!res || res->status != 202) return "";
  return json::parse(res->body).value("id", "");
}

std::string StatusOf(httplib::Client& c, const std::string& id) {
  auto res = c.Get("/v1/jobs/" + id);
  if (!res || res->status != 200) return "";
  return json::parse(res->body).value("status", "");
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--presgen") a.presgen = v;
    else if (k == "--input") a.input = v;
    else if (k == "--streams") a.streams = std::stoi(v);
    else if (k == "--clients") a.clients = std::stoi(v);
    else if (k == "--requests") a.requests = std::stoi(v);
    else if (k == "--max-errors") a.max_errors = std::stoi(v);
  }
  if (a.presgen.empty() || a.input.empty()) {
    std::fprintf(stderr, "usage: serve_load --presgen BIN --input VIDEO [--streams N] ...\n");
    return 2;
  }
  char data_dir[] = "/tmp/presgen-load-XXXXXX";
  if (!::mkdtemp(data_dir)) return 2;
  int out[2];
  if (::pipe(out) != 0) return 2;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::close(out[0]);
    ::close(out[1]);
    ::execl(a.presgen.c_str(), a.presgen.c_str(), "serve", "--host", "127.0.0.1", "--port", "0",
            "--data-dir", data_dir, "--quiet", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out[1]);
  std::string line;
  char ch;
  while (::read(out[0], &ch, 1) == 1 && ch != '\n') line += ch;
  const size_t colon = line.rfind(':');
  if (colon == std::string::npos) {
    std::fprintf(stderr, "serve did not start: %s\n", line.c_str());
    return 2;
  }
  const int port = std::stoi(line.substr(colon + 1));
  auto stop = [&] {
    ::kill(pid, SIGTERM);
    int st = 0;
    ::waitpid(pid, &st, 0);
    std::filesystem::remove_all(data_dir);
  };

  httplib::Client setup("127.0.0.1", port);
  setup.set_read_timeout(120, 0);
  const std::string video = ReadFile(a.input);
  const std::string review = Upload(setup, video, R"({"review":true,"size":"640x360"})");
  for (int i = 0; i < 600 && StatusOf(setup, review) != "review"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (review.empty() || StatusOf(setup, review) != "review") {
    std::fprintf(stderr, "the review job did not reach review\n");
    stop();
    return 2;
  }

  // The watchers: each holds an event stream on the review job until told to stop.
  std::atomic<bool> done{false};
  std::atomic<int> open_streams{0}, dropped{0};
  std::vector<std::thread> watchers;
  for (int i = 0; i < a.streams; ++i) {
    watchers.emplace_back([&] {
      httplib::Client c("127.0.0.1", port);
      c.set_read_timeout(60, 0);
      bool counted = false;
      auto res = c.Get("/v1/jobs/" + review + "/events", [&](const char*, size_t) {
        if (!counted) {
          counted = true;
          ++open_streams;
        }
        return !done.load();
      });
      if (!done.load()) ++dropped;  // the stream ended before the load did
      (void)res;
    });
  }
  for (int i = 0; i < 300 && open_streams.load() < a.streams; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const int held = open_streams.load();
  // A render in the background, as in production.
  const std::string render = Upload(setup, video, R"({"size":"1280x720"})");

  std::atomic<int> next{0}, errors{0};
  std::mutex mu;
  std::vector<double> ms;
  ms.reserve(a.requests);
  const auto t0 = Clock::now();
  std::vector<std::thread> clients;
  for (int i = 0; i < a.clients; ++i) {
    clients.emplace_back([&] {
      httplib::Client c("127.0.0.1", port);
      c.set_read_timeout(10, 0);
      c.set_keep_alive(true);
      std::vector<double> mine;
      while (next.fetch_add(1) < a.requests) {
        const auto s = Clock::now();
        auto res = c.Get("/v1/jobs/" + review);
        const double took = std::chrono::duration<double, std::milli>(Clock::now() - s).count();
        if (!res || res->status != 200) ++errors;
        mine.push_back(took);
      }
      std::lock_guard lock(mu);
      ms.insert(ms.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : clients) t.join();
  const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  std::sort(ms.begin(), ms.end());
  auto pct = [&](double p) { return ms.empty() ? 0.0 : ms[std::min(ms.size() - 1, size_t(p * ms.size()))]; };
  json report = {{"streams_requested", a.streams},
                 {"streams_held", held},
                 {"streams_dropped", dropped.load()},
                 {"clients", a.clients},
                 {"requests", static_cast<int>(ms.size())},
                 {"errors", errors.load()},
                 {"p50_ms", pct(0.50)},
                 {"p99_ms", pct(0.99)},
                 {"max_ms", ms.empty() ? 0.0 : ms.back()},
                 {"requests_per_s", wall > 0 ? ms.size() / wall : 0},
                 {"server_rss", StatusField(pid, "VmRSS")},
                 {"server_threads", std::atoi(StatusField(pid, "Threads").c_str())},
                 {"server_open_files", OpenFiles(pid)},
                 {"render_job", render.empty() ? "refused" : StatusOf(setup, render)}};
  done = true;
  stop();  // ends the streams too
  for (auto& t : watchers) t.join();
  std::cout << report.dump() << std::endl;
  const bool ok = errors.load() <= a.max_errors && held == a.streams && dropped.load() == 0;
  return ok ? 0 : 1;
}
