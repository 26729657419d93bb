#include "demo/crash_round.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include <fmt/format.h>

#include "common/coding.h"

namespace lsm::demo {
namespace {

// The child: writes until killed. Never returns.
[[noreturn]] void ChildWriter(const Options& options, const std::filesystem::path& dir,
                              const CrashPlan& plan, int pipe_fd) {
  std::unique_ptr<DB> db;
  if (!DB::Open(options, dir, &db).ok()) ::_exit(1);
  for (uint64_t i = 0; i < plan.max_writes; ++i) {
    if (!db->Put(WriteOptions{.sync = true}, CrashKey(plan, i), CrashValue(plan, i)).ok()) {
      ::_exit(2);
    }
    char buf[8];
    EncodeFixed64(buf, i);
    if (::write(pipe_fd, buf, sizeof(buf)) != static_cast<ssize_t>(sizeof(buf))) ::_exit(3);
  }
  db.reset();
  ::_exit(0);
}

}  // namespace

std::string CrashKey(const CrashPlan& plan, uint64_t i) { return fmt::format("{}{:08}", plan.prefix, i); }

std::string CrashValue(const CrashPlan& plan, uint64_t i) {
  std::string v = fmt::format("value-of-{}-", i);
  while (v.size() < plan.value_size) v += static_cast<char>('a' + (v.size() + i) % 26);
  v.resize(plan.value_size);
  return v;
}

Status RunCrashRound(const Options& options, const std::filesystem::path& dir,
                     const CrashPlan& plan, CrashResult* result) {
  *result = CrashResult();
  int fds[2];
  if (::pipe(fds) != 0) return Status::FromErrno("pipe", errno);
  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int err = errno;
    ::close(fds[0]);
    ::close(fds[1]);
    return Status::FromErrno("fork", err);
  }
  if (pid == 0) {
    ::close(fds[0]);
    ChildWriter(options, dir, plan, fds[1]);
  }
  ::close(fds[1]);

  // Reads acknowledgements; returns false at end of pipe (the child is gone).
  char buf[8];
  size_t have = 0;
  auto read_ack = [&]() -> bool {
    while (have < sizeof(buf)) {
      const ssize_t n = ::read(fds[0], buf + have, sizeof(buf) - have);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      have += static_cast<size_t>(n);
    }
    have = 0;
    result->acked = DecodeFixed64(buf) + 1;
    return true;
  };
  bool alive = true;
  while (alive && result->acked < plan.kill_after_acks) alive = read_ack();
  if (alive) {
    std::this_thread::sleep_for(std::chrono::microseconds(plan.extra_delay_us));
    ::kill(pid, SIGKILL);
  }
  // Every number already in the pipe was acknowledged before the kill.
  while (read_ack()) {
  }
  ::close(fds[0]);
  int wstatus = 0;
  while (::waitpid(pid, &wstatus, 0) < 0) {
    if (errno != EINTR) return Status::FromErrno("waitpid", errno);
  }
  if (WIFSIGNALED(wstatus)) result->signal = WTERMSIG(wstatus);
  if (WIFEXITED(wstatus)) result->exit_code = WEXITSTATUS(wstatus);
  result->seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return Status::OK();
}

Status VerifyCrashRound(DB* db, const CrashPlan& plan, const CrashResult& result,
                        CrashCheck* check) {
  *check = CrashCheck();
  std::string value;
  for (uint64_t i = 0; i < result.acked; ++i) {
    Status s = db->Get(ReadOptions{}, CrashKey(plan, i), &value);
    if (s.IsNotFound()) {
      return Status::Corruption("acknowledged write {} ({}) was lost", i, CrashKey(plan, i));
    }
    if (!s.ok()) return s;
    if (value != CrashValue(plan, i)) {
      return Status::Corruption("acknowledged write {} ({}) has a wrong value", i, CrashKey(plan, i));
    }
    ++check->acked_present;
  }
  Status s = db->Get(ReadOptions{}, CrashKey(plan, result.acked), &value);
  if (s.ok()) {
    if (value != CrashValue(plan, result.acked)) {
      return Status::Corruption("in-flight write {} has a wrong value", result.acked);
    }
    check->in_flight_present = true;
  } else if (!s.IsNotFound()) {
    return s;
  }
  // Nothing after the in-flight write can exist: scan what follows it.
  auto it = db->NewIterator(ReadOptions{});
  it->Seek(CrashKey(plan, result.acked + 1));
  if (it->Valid() && it->key().starts_with(plan.prefix)) {
    return Status::Corruption("{} exists, but it was never written before the crash",
                              EscapeBytes(it->key()));
  }
  return it->status();
}

}  // namespace lsm::demo
