// MonitorProcess: one io_context per run; every pipe and the pidfd become stream_descriptors, the
// limits steady_timers. The loop ends when the process is reaped and every pipe reached EOF (or
// the drain time ran out).
#include "sandbox/process_monitor.h"

#include <signal.h>
#include <sys/wait.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <optional>

namespace fathom::sandbox {

namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

// One pipe read to EOF into `sink`.
class PipeReader {
 public:
  PipeReader(asio::io_context& context, int fd, std::function<void(std::string_view)> sink,
             std::function<void()> on_closed)
      : descriptor_(context, fd), sink_(std::move(sink)), on_closed_(std::move(on_closed)) {}

  void Start() {
    descriptor_.async_read_some(asio::buffer(buffer_),
                                [this](const boost::system::error_code& error, size_t size) {
                                  if (size > 0) sink_(std::string_view(buffer_.data(), size));
                                  if (error) {
                                    Close();
                                    on_closed_();
                                    return;
                                  }
                                  Start();
                                });
  }
  bool open() const { return descriptor_.is_open(); }
  void Close() {
    boost::system::error_code ignored;
    descriptor_.close(ignored);
  }

 private:
  asio::posix::stream_descriptor descriptor_;
  std::function<void(std::string_view)> sink_;
  std::function<void()> on_closed_;
  std::array<char, 65536> buffer_{};
};

class Monitor {
 public:
  Monitor(linux::LaunchedProcess& process, const MonitorOptions& options, MonitorOutcome& outcome)
      : options_(options),
        outcome_(outcome),
        process_(context_, process.pidfd.release()),
        stdout_(
            context_, process.stdout_read.release(),
            [this](std::string_view bytes) { Output(OutputStream::kStdout, bytes); },
            [this] { PipeClosed(); }),
        stderr_(
            context_, process.stderr_read.release(),
            [this](std::string_view bytes) { Output(OutputStream::kStderr, bytes); },
            [this] { PipeClosed(); }),
        report_(
            context_, process.report_read.release(),
            [this](std::string_view bytes) { outcome_.report.append(bytes); },
            [this] { PipeClosed(); }),
        wall_timer_(context_),
        kill_timer_(context_),
        drain_timer_(context_) {}

  void Run() {
    const Clock::time_point start = Clock::now();
    stdout_.Start();
    stderr_.Start();
    report_.Start();
    process_.async_wait(asio::posix::stream_descriptor::wait_read,
                        [this](const boost::system::error_code&) { Reap(); });
    wall_timer_.expires_after(options_.wall_time);
    wall_timer_.async_wait([this](const boost::system::error_code& error) {
      if (error) return;
      outcome_.timed_out = true;
      Terminate();
    });
    std::optional<std::stop_callback<std::function<void()>>> on_stop;
    if (options_.stop.stop_possible()) {
      on_stop.emplace(options_.stop, std::function<void()>([this] {
                        asio::post(context_, [this] {
                          if (exited_) return;
                          outcome_.cancelled = true;
                          Terminate();
                        });
                      }));
    }
    context_.run();
    outcome_.wall_time =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
  }

 private:
  void Output(OutputStream stream, std::string_view bytes) {
    (stream == OutputStream::kStdout ? outcome_.stdout_capture : outcome_.stderr_capture)
        .Append(bytes);
    if (options_.on_output) options_.on_output(stream, bytes);
  }

  // SIGTERM now, SIGKILL after the grace period unless the process is gone by then.
  void Terminate() {
    if (terminating_) return;
    terminating_ = true;
    options_.signal_tree(SIGTERM);
    kill_timer_.expires_after(options_.termination_grace);
    kill_timer_.async_wait([this](const boost::system::error_code& error) {
      if (!error) options_.signal_tree(SIGKILL);
    });
  }

  void Reap() {
    siginfo_t info{};
    while (waitid(P_PIDFD, static_cast<id_t>(process_.native_handle()), &info, WEXITED) != 0 &&
           errno == EINTR) {
    }
    exited_ = true;
    outcome_.wait_code = info.si_code;
    outcome_.wait_status = info.si_status;
    process_.close();
    wall_timer_.cancel();
    kill_timer_.cancel();
    drain_timer_.expires_after(options_.drain_time);
    drain_timer_.async_wait([this](const boost::system::error_code& error) {
      if (error) return;
      options_.signal_tree(SIGKILL);
      stdout_.Close();
      stderr_.Close();
      report_.Close();
    });
    PipeClosed();
  }

  // Ends the drain wait once the process is reaped and every pipe is closed.
  void PipeClosed() {
    if (exited_ && !stdout_.open() && !stderr_.open() && !report_.open()) drain_timer_.cancel();
  }

  const MonitorOptions& options_;
  MonitorOutcome& outcome_;
  asio::io_context context_;
  asio::posix::stream_descriptor process_;
  PipeReader stdout_;
  PipeReader stderr_;
  PipeReader report_;
  asio::steady_timer wall_timer_;
  asio::steady_timer kill_timer_;
  asio::steady_timer drain_timer_;
  bool terminating_ = false;
  bool exited_ = false;
};

}  // namespace

MonitorOutcome MonitorProcess(linux::LaunchedProcess process, const MonitorOptions& options) {
  MonitorOutcome outcome(options);
  auto monitor = std::make_unique<Monitor>(process, options, outcome);
  monitor->Run();
  return outcome;
}

}  // namespace fathom::sandbox
