// Unit tests of the TcpProxy test helper (tests/testing/tcp_proxy.h) on loopback sockets, with
// no node behind it: a plain TCP server that floods its client with bytes, or one that echoes.
#include "tests/testing/tcp_proxy.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <poll.h>
#include <vector>
#include <string>
#include <thread>

#include <gtest/gtest.h>

namespace constellation::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// A listening socket on 127.0.0.1, a free port (set in *port).
int ListenOnLoopback(int* port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  EXPECT_EQ(::listen(fd, 16), 0);
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  *port = ntohs(addr.sin_port);
  return fd;
}

// A TCP server on 127.0.0.1 (a free port) that accepts one connection and sends bytes on it
// until the connection fails; `sent_bytes()` then stays put and `closed()` becomes ready.
class FloodServer {
 public:
  FloodServer() {
    listen_fd_ = ListenOnLoopback(&port_);
    thread_ = std::thread([this] { Serve(); });
  }

  ~FloodServer() {
    stopping_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    thread_.join();
    ::close(listen_fd_);
  }

  int port() const { return port_; }
  int64_t sent_bytes() const { return sent_bytes_.load(); }
  std::shared_future<void> closed() const { return closed_; }

 private:
  void Serve() {
    const int fd = ::accept(listen_fd_, nullptr, nullptr);
    if (fd >= 0) {
      const std::string chunk(64 * 1024, 'x');
      while (!stopping_) {
        const ssize_t n = ::send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL);
        if (n <= 0) break;
        sent_bytes_ += n;
      }
      ::close(fd);
    }
    closed_promise_.set_value();
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> sent_bytes_{0};
  std::promise<void> closed_promise_;
  std::shared_future<void> closed_ = closed_promise_.get_future().share();
  std::thread thread_;
};

int ConnectTo(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  return fd;
}

// How much a client reads before it closes: enough for the relay to be busy writing.
constexpr int64_t kStreamBytes = 1 << 20;

// Waits until the server has stopped making progress: every buffer between it and the client
// is full, so the proxy is blocked writing to the client.
void WaitUntilBuffersAreFull(const FloodServer& server) {
  int64_t before = -1;
  while (server.sent_bytes() != before) {
    before = server.sent_bytes();
    std::this_thread::sleep_for(milliseconds(500));
  }
}

// Regression (SIGPIPE kills tests): the proxy wrote with ::write, so a client that closed while
// the proxy was relaying to it could raise SIGPIPE and kill the whole test process (seen once as
// "ClusterTest.ConcurrentPledgesOnEveryNodeConverge (SIGPIPE)"). Here the client reads a
// stream, then closes: its FIN puts the proxy's socket in CLOSE_WAIT, and the reset for the
// bytes still arriving fails the proxy's next write with EPIPE. That needs the close to land
// inside one relayed chunk, which it does in most rounds (7 of 10 before the fix); twenty
// rounds make a miss unlikely.
TEST(TcpProxyTest, SigpipeClientClosingWhileTheProxyRelaysDoesNotKillTheProcess) {
  for (int round = 0; round < 20; ++round) {
    FloodServer server;
    TcpProxy proxy(server.port());
    const int client = ConnectTo(proxy.port());
    char buffer[4096];
    for (int64_t read_bytes = 0; read_bytes < kStreamBytes;) {
      const ssize_t n = ::read(client, buffer, sizeof(buffer));
      ASSERT_GT(n, 0);
      read_bytes += n;
    }
    ::shutdown(client, SHUT_WR);
    ::close(client);
    EXPECT_EQ(server.closed().wait_for(std::chrono::seconds(10)), std::future_status::ready)
        << "the proxy kept the upstream connection after its client closed";
  }
}

// Regression (SIGPIPE kills tests), the deterministic variant: the proxy is cut (as ClusterTest
// does, and as its destructor does at the end of every test) while it is blocked writing; the
// shutdown under the relay thread fails that write with EPIPE.
TEST(TcpProxyTest, SigpipeCutWhileTheProxyRelaysDoesNotKillTheProcess) {
  FloodServer server;
  TcpProxy proxy(server.port());
  const int client = ConnectTo(proxy.port());
  char buffer[4096];
  ASSERT_GT(::read(client, buffer, sizeof(buffer)), 0);
  WaitUntilBuffersAreFull(server);
  proxy.SetCut(true);
  EXPECT_EQ(server.closed().wait_for(std::chrono::seconds(10)), std::future_status::ready)
      << "the cut proxy kept the upstream connection";
  ::close(client);
}

// Delays: a new connection is relayed only after `connection_delay_ms`, and each chunk is
// passed on `chunk_delay_ms` after it arrived.
TEST(TcpProxyTest, DelaysNewConnectionsAndEveryChunk) {
  FloodServer server;
  TcpProxy proxy(server.port(), TcpProxyDelays{.connection_delay_ms = 300, .chunk_delay_ms = 200});
  const steady_clock::time_point start = steady_clock::now();
  const int client = ConnectTo(proxy.port());
  char buffer[4096];
  ASSERT_GT(::read(client, buffer, sizeof(buffer)), 0);
  EXPECT_GE(steady_clock::now() - start, milliseconds(500));
  ::close(client);
}

// A TCP server on 127.0.0.1 (a free port) that echoes what each connection sends, one thread
// per connection; counts the connections it accepted.
class EchoServer {
 public:
  EchoServer() {
    listen_fd_ = ListenOnLoopback(&port_);
    thread_ = std::thread([this] { Serve(); });
  }

  ~EchoServer() {
    stopping_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    thread_.join();
    for (std::thread& t : echoes_) t.join();
    ::close(listen_fd_);
  }

  int port() const { return port_; }
  int accepted() const { return accepted_.load(); }

 private:
  void Serve() {
    while (!stopping_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) continue;
      ++accepted_;
      echoes_.emplace_back([this, fd] {
        char buffer[4096];
        while (!stopping_) {
          pollfd p{fd, POLLIN, 0};
          if (::poll(&p, 1, 50) <= 0) continue;
          const ssize_t n = ::read(fd, buffer, sizeof(buffer));
          if (n <= 0 || ::send(fd, buffer, static_cast<size_t>(n), MSG_NOSIGNAL) != n) break;
        }
        ::close(fd);
      });
    }
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::vector<std::thread> echoes_;
  std::thread thread_;
};

// Reads from `fd` until `want` bytes arrived, the connection closed, or nothing came for 10 s.
std::string ReadUpTo(int fd, size_t want) {
  std::string got;
  char buffer[4096];
  while (got.size() < want) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 10'000) <= 0) break;
    const ssize_t n = ::read(fd, buffer, std::min(sizeof(buffer), want - got.size()));
    if (n <= 0) break;
    got.append(buffer, static_cast<size_t>(n));
  }
  return got;
}

// Sends `chunks` chunks of bytes 0..255 in order, each its own write, 5 ms apart (so that the
// proxy reads most of them separately); returns what was sent.
std::string SendChunks(int fd, int chunks) {
  std::string sent;
  for (int i = 0; i < chunks; ++i) {
    std::string chunk;
    for (int j = 0; j < 16; ++j) chunk.push_back(static_cast<char>((i * 16 + j) % 256));
    EXPECT_EQ(::send(fd, chunk.data(), chunk.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(chunk.size()));
    sent += chunk;
    std::this_thread::sleep_for(milliseconds(5));
  }
  return sent;
}

// Delay: every chunk is held 0-500 ms more, yet a connection's bytes arrive whole and in order.
TEST(TcpProxyTest, DelayFaultKeepsTheByteOrderOfAConnection) {
  EchoServer server;
  TcpProxy proxy(server.port(), {}, /*seed=*/7);
  proxy.SetFault(TcpFault::kDelay);
  const int client = ConnectTo(proxy.port());
  const std::string sent = SendChunks(client, 40);
  EXPECT_EQ(ReadUpTo(client, sent.size()), sent);
  ::close(client);
}

// Duplicate: some chunks arrive twice, so the receiver gets more bytes than were sent and the
// stream no longer matches (what a protocol must reject as garbage).
TEST(TcpProxyTest, DuplicateFaultSendsSomeChunksTwice) {
  EchoServer server;
  TcpProxy proxy(server.port(), {}, /*seed=*/7);
  proxy.SetFault(TcpFault::kDuplicate);
  const int client = ConnectTo(proxy.port());
  const std::string sent = SendChunks(client, 40);
  // Each chunk that is doubled on the way in and the way out adds bytes; wait for more than sent.
  const std::string got = ReadUpTo(client, sent.size() + 1);
  EXPECT_GT(got.size(), sent.size());
  EXPECT_NE(got.substr(0, sent.size()), sent);
  ::close(client);
}

// Drop: a relayed connection is closed within TcpProxy::kMaxDropAfterMs (polled with a bound
// of 10 s); the connections after the fault ends are relayed faithfully.
TEST(TcpProxyTest, DropFaultClosesRelayedConnections) {
  FloodServer server;
  TcpProxy proxy(server.port(), {}, /*seed=*/7);
  const int client = ConnectTo(proxy.port());
  char buffer[4096];
  ASSERT_GT(::read(client, buffer, sizeof(buffer)), 0);
  proxy.SetFault(TcpFault::kDrop);
  // The client reads on (a proxy blocked writing to it checks for its drop only between
  // writes), until the proxy closes the connection, nothing came for 10 s, or 20 s passed.
  const auto deadline = steady_clock::now() + std::chrono::seconds(20);
  while (steady_clock::now() < deadline &&
         ReadUpTo(client, sizeof(buffer)).size() == sizeof(buffer)) {
  }
  EXPECT_EQ(server.closed().wait_for(std::chrono::seconds(10)), std::future_status::ready)
      << "the dropping proxy kept the connection";
  ::close(client);

  EchoServer echo;
  TcpProxy healed(echo.port(), {}, /*seed=*/7);
  healed.SetFault(TcpFault::kDrop);
  healed.SetFault(TcpFault::kNone);
  const int again = ConnectTo(healed.port());
  const std::string sent = SendChunks(again, 4);
  EXPECT_EQ(ReadUpTo(again, sent.size()), sent);
  ::close(again);
}

// Cut through SetFault: as SetCut(true), new connections are closed at once; healed by the next
// fault.
TEST(TcpProxyTest, CutFaultClosesNewConnectionsUntilTheFaultChanges) {
  EchoServer server;
  TcpProxy proxy(server.port());
  proxy.SetFault(TcpFault::kCut);
  const int cut = ConnectTo(proxy.port());
  EXPECT_EQ(ReadUpTo(cut, 1), "") << "a connection was relayed through a cut";
  ::close(cut);
  proxy.SetFault(TcpFault::kNone);
  const int healed = ConnectTo(proxy.port());
  const std::string sent = SendChunks(healed, 4);
  EXPECT_EQ(ReadUpTo(healed, sent.size()), sent);
  ::close(healed);
}

// Slow-loris: bytes are relayed a few at a time (still whole and in order), and the proxy holds
// idle half-open connections to the target while the fault lasts.
TEST(TcpProxyTest, SlowLorisFaultTricklesBytesAndHoldsIdleConnections) {
  EchoServer server;
  TcpProxy proxy(server.port(), {}, /*seed=*/7);
  proxy.SetFault(TcpFault::kSlowLoris);
  const int client = ConnectTo(proxy.port());
  const std::string message(64, 'x');
  ASSERT_EQ(::send(client, message.data(), message.size(), MSG_NOSIGNAL), 64);
  std::string got;
  int reads = 0;
  while (got.size() < message.size()) {
    const std::string piece = ReadUpTo(client, 1);
    if (piece.empty()) break;
    got += piece;
    ++reads;
    // What has arrived is read at once, so a read returns at most what the last trickle sent.
    std::string rest(64, '\0');
    pollfd p{client, POLLIN, 0};
    if (::poll(&p, 1, 0) > 0) {
      const ssize_t n = ::read(client, rest.data(), rest.size());
      if (n > 0) got.append(rest.data(), static_cast<size_t>(n));
    }
  }
  EXPECT_EQ(got, message);
  EXPECT_GE(reads, 2) << "64 bytes arrived at once through a slow-loris proxy";
  // The relayed connection and the idle ones.
  const auto deadline = steady_clock::now() + std::chrono::seconds(10);
  while (server.accepted() < 1 + TcpProxy::kSlowLorisIdleConnections &&
         steady_clock::now() < deadline) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_EQ(server.accepted(), 1 + TcpProxy::kSlowLorisIdleConnections);
  ::close(client);
}

}  // namespace
}  // namespace constellation::testing
