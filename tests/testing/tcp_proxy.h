// tests/testing/tcp_proxy.h
//
// TcpProxy: a loopback TCP relay in front of a node, so that integration tests can cut a real
// network path (a partition) and heal it. A node advertises the proxy's endpoint; while the
// proxy is cut it closes every relayed connection and every new one at once, so callers see
// the connection fail, as with a network partition or a peer behind a firewall. With delays
// (TcpProxyDelays) it stands for a distant node instead. It never raises SIGPIPE: a peer that
// closes mid-write ends that relay only.
// Thread safety: SetCut and endpoint are thread-safe. One thread accepts; each relayed
// connection has one thread.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <list>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <utility>

#include <absl/strings/str_format.h>

namespace constellation::testing {

// What a TcpProxy holds back, to stand for a distant node (another continent, a slow VPN):
// each new connection is relayed only after `connection_delay_ms` (a slow handshake), and each
// chunk read from either side is passed on `chunk_delay_ms` after it arrived (one-way latency;
// throughput is not limited). Zero: relay at once.
struct TcpProxyDelays {
  int64_t connection_delay_ms = 0;
  int64_t chunk_delay_ms = 0;
};

class TcpProxy {
 public:
  // Listens on 127.0.0.1 (a free port); relays to 127.0.0.1:`target_port`, which may change
  // (set_target_port) when the node behind it restarts on another port.
  // With `delays`, every new connection and every chunk is held back (TcpProxyDelays).
  explicit TcpProxy(int target_port, TcpProxyDelays delays = {})
      : target_port_(target_port), delays_(delays) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    ::listen(listen_fd_, 64);
    socklen_t len = sizeof(addr);
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    accept_thread_ = std::thread([this] { AcceptLoop(); });
  }

  ~TcpProxy() {
    stopping_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    accept_thread_.join();
    std::list<std::thread> relays;
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
      relays.swap(relays_);
    }
    for (std::thread& t : relays) t.join();
  }

  std::string endpoint() const { return absl::StrFormat("127.0.0.1:%d", port_); }
  int port() const { return port_; }
  void set_target_port(int port) { target_port_ = port; }

  // Cut: relayed connections end before this returns, and new ones are closed at once.
  // Healed: relays again.
  void SetCut(bool cut) {
    std::lock_guard<std::mutex> lock(mu_);
    cut_ = cut;
    if (!cut) return;
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
  }

 private:
  using Clock = std::chrono::steady_clock;

  // One direction of a relayed connection: chunks read from one side, waiting to be written to
  // `to` at their due time.
  struct Direction {
    int to;
    std::deque<std::pair<Clock::time_point, std::string>> pending;
  };

  void AcceptLoop() {
    while (!stopping_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int client = ::accept(listen_fd_, nullptr, nullptr);
      if (client < 0) continue;
      std::lock_guard<std::mutex> lock(mu_);
      if (cut_) {
        ::close(client);
        continue;
      }
      open_fds_.insert(client);
      relays_.emplace_back([this, client] { Relay(client); });
    }
  }

  void Relay(int client) {
    // A slow handshake: the client's connection is accepted (by the kernel) at once, but
    // nothing reaches the node, nor comes back, before the delay.
    std::this_thread::sleep_for(std::chrono::milliseconds(delays_.connection_delay_ms));
    const int upstream = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(target_port_.load()));
    {
      std::lock_guard<std::mutex> lock(mu_);
      open_fds_.insert(upstream);
      if (cut_) ::shutdown(upstream, SHUT_RDWR);
    }
    if (::connect(upstream, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      Close(client, upstream);
      return;
    }
    Direction directions[2] = {{upstream, {}}, {client, {}}};  // read from client, upstream
    char buffer[16 * 1024];
    // After either side closes, what it sent before is still delivered, then both close.
    bool reading = true;
    bool failed = false;
    while (!stopping_ && !failed &&
           (reading || !directions[0].pending.empty() || !directions[1].pending.empty())) {
      const int timeout_ms = PollTimeoutMs(directions);
      if (!reading) {
        std::this_thread::sleep_for(std::chrono::milliseconds(timeout_ms));
      } else {
        pollfd fds[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
        if (::poll(fds, 2, timeout_ms) < 0) continue;
        for (int i = 0; i < 2 && reading; ++i) {
          if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
          const ssize_t n = ::read(fds[i].fd, buffer, sizeof(buffer));
          if (n <= 0) {
            reading = false;
            break;
          }
          directions[i].pending.emplace_back(
              Clock::now() + std::chrono::milliseconds(delays_.chunk_delay_ms),
              std::string(buffer, static_cast<size_t>(n)));
        }
      }
      for (Direction& d : directions) {
        if (!SendDue(&d)) failed = true;
      }
    }
    Close(client, upstream);
  }

  // How long the relay may wait in poll: until the next pending chunk is due, at most 50 ms
  // (so that it sees `stopping_`).
  static int PollTimeoutMs(const Direction (&directions)[2]) {
    int64_t timeout_ms = 50;
    for (const Direction& d : directions) {
      if (d.pending.empty()) continue;
      const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(
          d.pending.front().first - Clock::now());
      timeout_ms = std::clamp<int64_t>(wait.count(), 0, timeout_ms);
    }
    return static_cast<int>(timeout_ms);
  }

  // Writes the chunks that are due; false when the connection failed. MSG_NOSIGNAL: a peer that
  // has closed (or a cut) fails the send with EPIPE instead of raising SIGPIPE, which would kill
  // the whole test process.
  static bool SendDue(Direction* d) {
    while (!d->pending.empty() && d->pending.front().first <= Clock::now()) {
      const std::string& chunk = d->pending.front().second;
      for (size_t sent = 0; sent < chunk.size();) {
        const ssize_t w = ::send(d->to, chunk.data() + sent, chunk.size() - sent, MSG_NOSIGNAL);
        if (w <= 0) return false;
        sent += static_cast<size_t>(w);
      }
      d->pending.pop_front();
    }
    return true;
  }

  void Close(int client, int upstream) {
    std::lock_guard<std::mutex> lock(mu_);
    open_fds_.erase(client);
    open_fds_.erase(upstream);
    ::close(upstream);
    ::close(client);
  }

  std::atomic<int> target_port_;
  const TcpProxyDelays delays_;
  int listen_fd_ = -1;
  int port_ = 0;
  bool cut_ = false;  // guarded by mu_
  std::atomic<bool> stopping_{false};
  std::thread accept_thread_;
  std::mutex mu_;
  std::list<std::thread> relays_;
  std::set<int> open_fds_;  // guarded by mu_
};

}  // namespace constellation::testing
