// A render in a child process (pipeline/render_process.h) as `presgen serve` runs it: the
// real presgen binary, real fixtures. Stopping, killing or signalling the job's process
// takes its helpers with it and says what happened; the spec carries every option.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "pipeline/child_process_protocol.h"
#include "pipeline/render_process.h"
#include "service/serve_process.h"  // ProcessEnded
#include "support/fixtures.h"
#include "support/temp_dir.h"

namespace presgen {
namespace {

using test::FixturePath;

int ReadPid(const std::string& path) {
  std::ifstream in(path);
  int pid = 0;
  in >> pid;
  return pid;
}

class RenderProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    // A stand-in for headless Chromium that the HTML slide renderer starts: it says who it
    // is, then hangs, as a stuck browser would.
    fake_browser_ = dir_.Path("chromium");
    std::ofstream(fake_browser_) << "#!/bin/sh\necho $$ > " << dir_.Path("browser.pid")
                                 << "\nexec sleep 60\n";
    ::chmod(fake_browser_.c_str(), 0755);
    ::setenv("PRESGEN_CHROMIUM", fake_browser_.c_str(), 1);
  }
  void TearDown() override { ::unsetenv("PRESGEN_CHROMIUM"); }

  RenderOptions HtmlSlidesJob() {
    RenderOptions o;
    o.input_path = FixturePath("clip_4s_48k.mp4");
    o.output_path = dir_.Path("out.mp4");
    o.workdir = dir_.Path("work");
    o.width = 640;
    o.height = 360;
    o.asr = "pocketsphinx";
    o.slides_renderer = "html";
    o.template_dir = std::string(PRESGEN_SOURCE_DIR) + "/templates/html/professional_minimal";
    return o;
  }
  RenderProcessParams Params() {
    RenderProcessParams p;
    p.executable = PRESGEN_BINARY;
    p.spec_path = dir_.Path("spec.json");
    p.log_path = dir_.Path("render.log");
    p.abort_grace_ms = 3000;
    return p;
  }
  bool BrowserStarted() const { return ReadPid(dir_.Path("browser.pid")) > 0; }
  // Waits for `pid` to be gone (or a zombie): true if it went within `seconds`.
  static bool Ends(int pid, double seconds) {
    for (int i = 0; i < seconds * 100; ++i) {
      if (testing::ProcessEnded(pid)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  testing::TempDir dir_{"presgen-render-process"};
  std::string fake_browser_;
};

TEST_F(RenderProcess, AStoppedJobTakesItsHelpersWithIt) {
  auto ran = RunRenderProcess(HtmlSlidesJob(), Params(), {}, [&] { return BrowserStarted(); });
  ASSERT_FALSE(ran.ok());
  EXPECT_EQ(ran.status().code(), StatusCode::kCancelled);
  const int browser = ReadPid(dir_.Path("browser.pid"));
  ASSERT_GT(browser, 0);
  EXPECT_TRUE(Ends(browser, 5)) << "the job's browser outlived the job";
}

TEST_F(RenderProcess, AJobKilledWithKill9TakesItsHelpersWithIt) {
  std::atomic<int> job{0};
  std::atomic<bool> killed{false};
  std::thread killer([&] {
    for (int i = 0; i < 6000 && !killed; ++i) {
      if (job > 0 && BrowserStarted()) {
        ::kill(job, SIGKILL);
        killed = true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  });
  auto ran = RunRenderProcess(HtmlSlidesJob(), Params(), {}, {}, [&](int pid) { job = pid; });
  killed = true;
  killer.join();
  ASSERT_TRUE(ran.ok()) << ran.status().ToString();
  EXPECT_TRUE(ran->crashed);
  EXPECT_EQ(ran->term_signal, SIGKILL);
  EXPECT_EQ(ran->status.message(),
            "the render process was killed (SIGKILL while making the slides; the system may have "
            "run out of memory)");
  const int browser = ReadPid(dir_.Path("browser.pid"));
  ASSERT_GT(browser, 0);
  EXPECT_TRUE(Ends(browser, 5)) << "the killed job's browser lives on";
}

TEST_F(RenderProcess, ASigtermFromOutsideIsAnInterruptionNotTheJobsFailure) {
  RenderOptions o = HtmlSlidesJob();
  o.slides_renderer = "native";
  std::atomic<int> job{0};
  auto progress = [&](const std::string& stage, double) {
    if (stage == "transcribe" && job > 0) ::kill(job, SIGTERM);  // e.g. an operator's kill
  };
  auto ran = RunRenderProcess(o, Params(), progress, {}, [&](int pid) { job = pid; });
  ASSERT_TRUE(ran.ok()) << ran.status().ToString();
  EXPECT_TRUE(ran->crashed);
  EXPECT_EQ(ran->status.message().rfind("the render process was stopped from outside while ", 0), 0u)
      << ran->status.message();
}

TEST_F(RenderProcess, ASuccessfulJobReportsItsResult) {
  RenderOptions o = HtmlSlidesJob();
  o.slides_renderer = "native";
  std::vector<std::string> stages;
  auto ran = RunRenderProcess(o, Params(), [&](const std::string& s, double) {
    if (stages.empty() || stages.back() != s) stages.push_back(s);
  }, {});
  ASSERT_TRUE(ran.ok()) << ran.status().ToString();
  EXPECT_FALSE(ran->crashed);
  ASSERT_TRUE(ran->status.ok()) << ran->status.ToString();
  EXPECT_EQ(ran->result.value("success", false), true);
  EXPECT_EQ(stages.front(), "probe");
  EXPECT_EQ(stages.back(), "compose");
  EXPECT_FALSE(std::ifstream(dir_.Path("spec.json")).good()) << "the spec is removed";
}

TEST(RenderProcessSpec, EveryOptionReachesTheChild) {
  testing::TempDir dir;
  RenderProcessSpec spec;
  RenderOptions& o = spec.options;
  o.input_path = "in ü.mp4";
  o.output_path = "o";
  o.workdir = "w";
  o.width = 320;
  o.height = 240;
  o.max_slides = 4;
  o.max_bullets = 2;
  o.title_slide = "off";
  o.template_name = "dark";
  o.brand_color = "#112233";
  o.logo_path = "l.png";
  o.slides_renderer = "html";
  o.template_dir = "t";
  o.summarizer = "llm";
  o.llm_url = "http://u";
  o.llm_model = "m";
  o.llm_api_key = "secret";
  o.llm_max_cost_usd = 0.5;
  o.llm_price_in_per_mtok_usd = 1;
  o.llm_price_out_per_mtok_usd = 2;
  o.llm_timeout_ms = 7;
  o.asr = "whisper";
  o.asr_model = "a.bin";
  o.deck_path = "d.json";
  o.cache_dir = "c";
  o.deck_only = true;
  o.threads = 3;
  o.preset = "fast";
  o.crf = 30;
  o.stage_deadline_scale = 2.5;
  o.open_breakers = {{"summarization", "circuit open after 2 failures; next try in 9 s"}};
  spec.attempt = 2;
  spec.parent_pid = 42;
  ASSERT_TRUE(WriteRenderProcessSpec(dir.Path("spec.json"), spec).ok());
  std::ifstream in(dir.Path("spec.json"));
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.find("secret"), std::string::npos) << "the LLM key is never written";
  auto back = ReadRenderProcessSpec(dir.Path("spec.json"));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  const RenderOptions& r = back->options;
  EXPECT_EQ(r.input_path, o.input_path);
  EXPECT_EQ(r.output_path, o.output_path);
  EXPECT_EQ(r.workdir, o.workdir);
  EXPECT_EQ(r.width, o.width);
  EXPECT_EQ(r.height, o.height);
  EXPECT_EQ(r.max_slides, o.max_slides);
  EXPECT_EQ(r.max_bullets, o.max_bullets);
  EXPECT_EQ(r.title_slide, o.title_slide);
  EXPECT_EQ(r.template_name, o.template_name);
  EXPECT_EQ(r.brand_color, o.brand_color);
  EXPECT_EQ(r.logo_path, o.logo_path);
  EXPECT_EQ(r.slides_renderer, o.slides_renderer);
  EXPECT_EQ(r.template_dir, o.template_dir);
  EXPECT_EQ(r.summarizer, o.summarizer);
  EXPECT_EQ(r.llm_url, o.llm_url);
  EXPECT_EQ(r.open_breakers, o.open_breakers);
  EXPECT_EQ(r.llm_model, o.llm_model);
  EXPECT_EQ(r.llm_api_key, "");
  EXPECT_EQ(r.llm_max_cost_usd, o.llm_max_cost_usd);
  EXPECT_EQ(r.llm_price_in_per_mtok_usd, o.llm_price_in_per_mtok_usd);
  EXPECT_EQ(r.llm_price_out_per_mtok_usd, o.llm_price_out_per_mtok_usd);
  EXPECT_EQ(r.llm_timeout_ms, o.llm_timeout_ms);
  EXPECT_EQ(r.asr, o.asr);
  EXPECT_EQ(r.asr_model, o.asr_model);
  EXPECT_EQ(r.deck_path, o.deck_path);
  EXPECT_EQ(r.cache_dir, o.cache_dir);
  EXPECT_EQ(r.deck_only, o.deck_only);
  EXPECT_EQ(r.threads, o.threads);
  EXPECT_EQ(r.preset, o.preset);
  EXPECT_EQ(r.crf, o.crf);
  EXPECT_EQ(r.stage_deadline_scale, o.stage_deadline_scale);
  EXPECT_EQ(back->attempt, 2);
  EXPECT_EQ(back->parent_pid, 42);
  // A field added to RenderOptions but not to the spec would come back as its default:
  // the serialised options must have one key per field above (30, without the key).
  EXPECT_EQ(nlohmann::json::parse(text)["options"].size(), 30u);

  spec.options.input_path = std::string("bad \xff name.mp4");
  EXPECT_EQ(WriteRenderProcessSpec(dir.Path("bad.json"), spec).code(), StatusCode::kInvalidInput);
}

TEST(ChildReport, AnyLineIsReadWithoutThrowing) {
  std::vector<std::pair<std::string, double>> progress;
  ChildReport report([&](const std::string& s, double f) { progress.emplace_back(s, f); });
  for (const char* line : {"", "not json", "[1,2]", "{\"stage\": 5}", "{\"stage\":\"audio\",\"progress\":\"x\"}",
                           "{\"stage\":\"compose\",\"progress\":null}", "{\"done\":\"yes\"}",
                           "{\"done\":true,\"error\":5}"}) {
    report.OnLine(line);
  }
  ASSERT_EQ(progress.size(), 2u);
  EXPECT_EQ(progress[0], std::make_pair(std::string("audio"), 0.0));
  EXPECT_EQ(report.last_stage(), "compose");
  ASSERT_TRUE(report.done());
  EXPECT_EQ(report.status().code(), StatusCode::kInternal);

  ChildReport claims_ok;
  claims_ok.OnLine("{\"done\":true,\"error\":{\"code\":\"ok\",\"message\":\"m\"}}");
  EXPECT_EQ(claims_ok.status().code(), StatusCode::kInternal) << "an error is never Ok";
  ChildReport user_error;
  user_error.OnLine(FailureReportLine(Status::InvalidInput("in.mp4: damaged")));
  EXPECT_EQ(user_error.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(user_error.status().message(), "in.mp4: damaged");
}

}  // namespace
}  // namespace presgen
