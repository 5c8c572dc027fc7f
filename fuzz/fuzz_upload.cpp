// libFuzzer: the upload reader behind POST /v1/jobs (ReceiveUpload) as a client reaches it —
// cpp-httplib's multipart parser on a real loopback socket, then presgen's receiver writing
// the `file` part to disk. Each input is a request body; its first byte chooses the framing
// (Content-Length or chunked) and the chunk sizes. Invariants checked on every input:
//   - an accepted upload's file exists and holds exactly the bytes reported;
//   - a refused one leaves no file behind, and its answer is a 4xx/5xx (or a reset);
//   - the server answers every request (no hang, no crash).
// Debian's cpp-httplib is a prebuilt library: its parser runs here but is not instrumented,
// so coverage guides only presgen's side of the reader.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>

#include <httplib.h>

#include "service/upload_receiver.h"

namespace {

namespace fs = std::filesystem;

constexpr const char* kBoundary = "presgenFuzzBoundary";
constexpr int64_t kMaxBytes = 1 << 20;

struct Harness {
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::string dir;
  // What the handler saw for the request in flight (one at a time).
  std::mutex mu;
  bool accepted = false;
  std::string path;
  int64_t bytes = 0;

  Harness() {
    dir = (fs::temp_directory_path() / ("presgen-fuzz-upload-" + std::to_string(getpid()))).string();
    fs::create_directories(dir);
    server.set_read_timeout(2, 0);
    server.Post("/upload", [this](const httplib::Request& req, httplib::Response& res,
                                  const httplib::ContentReader& reader) {
      presgen::UploadParams params;
      params.max_bytes = kMaxBytes;
      params.dir = dir;
      presgen::ReceivedUpload upload;
      if (auto error = presgen::ReceiveUpload(req, reader, params, &upload)) {
        res.status = error->status;
        res.set_content(error->code, "text/plain");
        return;
      }
      std::lock_guard lock(mu);
      accepted = true;
      path = upload.path;
      bytes = upload.bytes;
      res.status = 201;
    });
    port = server.bind_to_any_port("127.0.0.1");
    if (port <= 0) std::abort();
    thread = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::yield();
  }
};

Harness& TheHarness() {
  static Harness* harness = new Harness();  // lives for the whole run (the server thread)
  return *harness;
}

bool SendAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

constexpr int kReset = -1;  // the server closed with unread bytes: the kernel sent a reset

// The status code of the answer to `request`, 0 when there was none, kReset when the
// connection was reset before an answer could be read (cpp-httplib closes a refused
// request's connection without reading the rest, and the unread bytes turn the close
// into a reset that can overtake the answer — timing-dependent, a refusal either way).
int Exchange(int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) std::abort();
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int status = 0;
  int connected = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  while (connected != 0 && (errno == EINTR || errno == EALREADY)) {  // interrupted: finish it
    connected = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  }
  if (connected == 0 || errno == EISCONN) {
    // The request is whole (its length or its last chunk says where it ends), so the
    // server answers without waiting for more; it may answer (413) before the end.
    (void)SendAll(fd, request);
    std::string answer;
    char buf[4096];
    ssize_t n;
    // libFuzzer's timeout timer (SIGALRM each second) interrupts blocking calls: go on.
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0 || (n < 0 && errno == EINTR)) {
      if (n > 0) answer.append(buf, static_cast<size_t>(n));
    }
    if (answer.rfind("HTTP/1.1 ", 0) == 0 && answer.size() >= 12) {
      status = std::atoi(answer.c_str() + 9);
    } else if (n < 0 && errno == ECONNRESET) {
      status = kReset;
    }
  }
  ::close(fd);
  return status;
}

std::string Request(const uint8_t* data, size_t size) {
  const bool chunked = size > 0 && (data[0] & 1);
  const size_t chunk = size > 0 ? 1 + (data[0] >> 1) * 37 : 1;
  const std::string body(reinterpret_cast<const char*>(data) + (size > 0), size - (size > 0));
  std::string head = "POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                     "Content-Type: multipart/form-data; boundary=" +
                     std::string(kBoundary) + "\r\n";
  if (!chunked) return head + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  std::string out = head + "Transfer-Encoding: chunked\r\n\r\n";
  char size_line[32];
  for (size_t at = 0; at < body.size(); at += chunk) {
    const size_t n = std::min(chunk, body.size() - at);
    std::snprintf(size_line, sizeof size_line, "%zx\r\n", n);
    out += size_line;
    out.append(body, at, n);
    out += "\r\n";
  }
  return out + "0\r\n\r\n";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Harness& h = TheHarness();
  {
    std::lock_guard lock(h.mu);
    h.accepted = false;
  }
  const int status = Exchange(h.port, Request(data, size));
  std::lock_guard lock(h.mu);
  if (status == 0) std::abort();  // no answer: the server hung up or hung
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(h.dir)) {
    (void)entry;
    ++files;
  }
  if (h.accepted) {
    std::error_code ec;
    if (status != 201 || files != 1 || static_cast<int64_t>(fs::file_size(h.path, ec)) != h.bytes) {
      std::abort();
    }
    fs::remove(h.path);
  } else if (files != 0 || (status != kReset && status < 400)) {
    std::abort();  // a refusal left a half-written file, or said it succeeded
  }
  return 0;
}
