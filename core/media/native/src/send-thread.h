// A second thread for UdpIo's sends. On loopback and on a VM a sendto() is the dearest step of the RTP
// path (the kernel does the whole delivery in the sender's context), and a conference tick sends one
// packet per participant; handing the sendto() calls to another core keeps the event loop's ticks short.
// The event loop copies each datagram into a single-producer/single-consumer ring and wakes the thread
// once per loop iteration (UdpIo's uv_prepare), not once per packet.
#pragma once

#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace media {

class SendThread {
 public:
  static constexpr uint32_t kSlots = 4096;  // power of two
  static constexpr uint32_t kSlotBytes = 1500;

  SendThread() : ring_(kSlots) {
    thread_ = std::thread([this] { Run(); });
  }

  ~SendThread() { Stop(); }

  // False when the datagram does not fit (too big, or the ring is full): the caller sends it itself.
  bool Enqueue(int fd, const sockaddr_storage& to, socklen_t tolen, const uint8_t* data, size_t len) {
    return Enqueue2(fd, to, tolen, data, len, nullptr, 0);
  }

  // A datagram in two parts (a header written per recipient, a payload shared by many), joined in the slot.
  bool Enqueue2(int fd, const sockaddr_storage& to, socklen_t tolen, const uint8_t* head, size_t headLen, const uint8_t* body, size_t bodyLen) {
    size_t len = headLen + bodyLen;
    if (len > kSlotBytes) return false;
    uint64_t h = head_.load(std::memory_order_relaxed);
    if (h - tail_.load(std::memory_order_acquire) >= kSlots) {
      overflow_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    Slot& s = ring_[h & (kSlots - 1)];
    s.fd = fd;
    s.to = to;
    s.tolen = tolen;
    s.len = static_cast<uint32_t>(len);
    std::memcpy(s.data, head, headLen);
    if (bodyLen > 0) std::memcpy(s.data + headLen, body, bodyLen);
    head_.store(h + 1, std::memory_order_release);
    return true;
  }

  // Once per event-loop iteration: start sending what was queued since the last wake.
  void Wake() {
    uint64_t h = head_.load(std::memory_order_relaxed);
    if (h == woken_) return;
    woken_ = h;
    { std::lock_guard<std::mutex> lock(mutex_); }
    cv_.notify_one();
  }

  // A socket's fd is closed only after every datagram queued before now has left through it, so the
  // number cannot be reused under a queued packet.
  void CloseLater(int fd) {
    closing_.emplace_back(fd, head_.load(std::memory_order_relaxed));
    Reap();
  }

  void Reap() {
    uint64_t t = tail_.load(std::memory_order_acquire);
    size_t keep = 0;
    for (auto& c : closing_) {
      if (c.second <= t) ::close(c.first);
      else closing_[keep++] = c;
    }
    closing_.resize(keep);
  }

  void Stop() {
    if (!thread_.joinable()) return;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
    for (auto& c : closing_) ::close(c.first);
    closing_.clear();
  }

  uint64_t sent() const { return sent_.load(std::memory_order_relaxed); }
  uint64_t errors() const { return errors_.load(std::memory_order_relaxed); }
  uint64_t overflow() const { return overflow_.load(std::memory_order_relaxed); }
  uint64_t wakeups() const { return wakeups_.load(std::memory_order_relaxed); }

 private:
  struct Slot {
    int fd = -1;
    socklen_t tolen = 0;
    uint32_t len = 0;
    sockaddr_storage to{};
    uint8_t data[kSlotBytes];
  };

  void Run() {
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(mutex_);
        cv_.wait(lock, [this] { return stop_ || head_.load(std::memory_order_acquire) != tail_.load(std::memory_order_relaxed); });
        if (stop_ && head_.load(std::memory_order_acquire) == tail_.load(std::memory_order_relaxed)) return;
      }
      wakeups_.fetch_add(1, std::memory_order_relaxed);
      // Drain until empty; packets queued meanwhile are picked up without another wake.
      for (;;) {
        uint64_t t = tail_.load(std::memory_order_relaxed);
        uint64_t h = head_.load(std::memory_order_acquire);
        if (t == h) break;
        for (; t != h; t++) {
          const Slot& s = ring_[t & (kSlots - 1)];
          ssize_t n = sendto(s.fd, s.data, s.len, MSG_DONTWAIT, reinterpret_cast<const sockaddr*>(&s.to), s.tolen);
          if (n < 0) errors_.fetch_add(1, std::memory_order_relaxed);
          else sent_.fetch_add(1, std::memory_order_relaxed);
        }
        tail_.store(t, std::memory_order_release);
      }
    }
  }

  std::vector<Slot> ring_;
  alignas(64) std::atomic<uint64_t> head_{0};
  alignas(64) std::atomic<uint64_t> tail_{0};
  uint64_t woken_ = 0;  // event-loop thread only
  std::vector<std::pair<int, uint64_t>> closing_;  // event-loop thread only
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::atomic<uint64_t> sent_{0}, errors_{0}, overflow_{0}, wakeups_{0};
  std::thread thread_;
};

}  // namespace media
