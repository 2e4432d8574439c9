// UDP sockets for the RTP path, read in batches. Node's dgram costs one JS callback, one Buffer and one
// address string per datagram, plus a DNS-lookup tick and a request object per send; on a VM where every
// wakeup is dear that is most of a relay's CPU (bench/media-bench.ts: the bare dgram relay alone costs 2.7x
// rtpengine per packet). Here all sockets sit in one epoll set that libuv watches through a single uv_poll;
// when it fires, every ready socket is drained with recvmmsg into one shared area and JavaScript is called
// once for the whole batch, for the datagrams JavaScript has to see: a socket with an armed relay route
// (relay-route.h) has its pass-through packets rewritten and sent on right here. Sends from JavaScript
// are sendto() calls or go through the send thread. Everything else runs on the thread that created the
// object, inside its event loop, so the shared areas need no lock.
#include <napi.h>
#include <uv.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "args.h"
#include "relay-route.h"
#include "udp-addr.h"
#include "send-thread.h"
#include "wraps.h"

namespace media {
namespace {

// Meta words per received datagram: socket id, offset in the data area, length, flags.
constexpr int kMetaWords = 4;
constexpr int kFlagFromPeer = 1;
// Datagrams read per recvmmsg call on one socket before moving to the next ready one.
constexpr unsigned kBurst = 16;
constexpr int kMaxEvents = 512;
// Rounds of epoll_wait + JS per uv_poll wakeup while the area keeps filling up.
constexpr int kMaxRounds = 4;

struct Sock {
  int fd = -1;
  int family = AF_INET;
  Peer peer;
};

class UdpIoWrap : public Napi::ObjectWrap<UdpIoWrap> {
 public:
  static Napi::Function Define(Napi::Env env) {
    return DefineClass(env, "UdpIo",
                       {
                           InstanceMethod<&UdpIoWrap::Open>("open"),
                           InstanceMethod<&UdpIoWrap::CloseSocket>("closeSocket"),
                           InstanceMethod<&UdpIoWrap::LocalPort>("localPort"),
                           InstanceMethod<&UdpIoWrap::SetPeer>("setPeer"),
                           InstanceMethod<&UdpIoWrap::Send>("send"),
                           InstanceMethod<&UdpIoWrap::SendTo>("sendTo"),
                           InstanceMethod<&UdpIoWrap::SourceAddress>("sourceAddress"),
                           InstanceMethod<&UdpIoWrap::SourcePort>("sourcePort"),
                           InstanceMethod<&UdpIoWrap::Counters>("counters"),
                           InstanceMethod<&UdpIoWrap::SetRelayTable>("setRelayTable"),
                           InstanceMethod<&UdpIoWrap::SendShared>("sendShared"),
                           InstanceMethod<&UdpIoWrap::HrtimeMs>("hrtimeMs"),
                           InstanceMethod<&UdpIoWrap::Close>("close"),
                       });
  }

  // new UdpIo(data: Uint8Array, meta: Int32Array, slotBytes: number, onBatch: (count) => void, sendThread?: boolean)
  explicit UdpIoWrap(const Napi::CallbackInfo& info) : Napi::ObjectWrap<UdpIoWrap>(info), env_(info.Env()) {
    const char* m = "UdpIo";
    Span<uint8_t> data = BytesArg(info, 0, m, "data");
    if (!info[1].IsTypedArray() || info[1].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
      throw Napi::TypeError::New(env_, "UdpIo: meta must be an Int32Array");
    }
    auto meta = info[1].As<Napi::TypedArrayOf<int32_t>>();
    slot_ = IntArg(info, 2, m, "slotBytes", 64, 65536);
    if (!info[3].IsFunction()) throw Napi::TypeError::New(env_, "UdpIo: onBatch must be a function");
    data_ = data.data;
    meta_ = meta.Data();
    capacity_ = static_cast<int>(data.length / slot_);
    if (static_cast<size_t>(capacity_) * kMetaWords > meta.ElementLength()) capacity_ = static_cast<int>(meta.ElementLength() / kMetaWords);
    if (capacity_ < 1) throw Napi::RangeError::New(env_, "UdpIo: data and meta must hold at least one datagram");
    dataRef_ = Napi::Persistent(info[0].As<Napi::Object>());
    metaRef_ = Napi::Persistent(info[1].As<Napi::Object>());
    onBatch_ = Napi::Persistent(info[3].As<Napi::Function>());
    asyncContext_ = std::make_unique<Napi::AsyncContext>(env_, "UdpIo");
    names_.resize(capacity_);
    msgs_.resize(capacity_);
    iovs_.resize(capacity_);

    epfd_ = epoll_create1(EPOLL_CLOEXEC);
    if (epfd_ < 0) throw Napi::Error::New(env_, std::string("UdpIo: epoll_create1: ") + strerror(errno));
    uv_loop_t* loop = nullptr;
    if (napi_get_uv_event_loop(env_, &loop) != napi_ok || loop == nullptr) {
      ::close(epfd_);
      throw Napi::Error::New(env_, "UdpIo: no event loop");
    }
    poll_ = new uv_poll_t;
    poll_->data = this;
    uv_poll_init(loop, poll_, epfd_);
    uv_poll_start(poll_, UV_READABLE, OnReadable);
    uv_unref(reinterpret_cast<uv_handle_t*>(poll_));
    if (info.Length() > 4 && info[4].IsBoolean() && info[4].As<Napi::Boolean>().Value()) {
      sender_ = std::make_unique<SendThread>();
      // Runs right before the loop blocks: everything queued in this iteration goes out in one wake.
      prepare_ = new uv_prepare_t;
      prepare_->data = this;
      uv_prepare_init(loop, prepare_);
      uv_prepare_start(prepare_, OnPrepare);
      uv_unref(reinterpret_cast<uv_handle_t*>(prepare_));
    }
    napi_add_env_cleanup_hook(env_, CleanupHook, this);
  }

  ~UdpIoWrap() override {
    Shutdown();
    napi_remove_env_cleanup_hook(env_, CleanupHook, this);
  }

 private:
  static void CleanupHook(void* arg) { static_cast<UdpIoWrap*>(arg)->Shutdown(); }

  // Close every socket and hand the poll handle back to libuv (it frees it once the loop is done with it).
  void Shutdown() {
    for (size_t i = 0; i < socks_.size(); i++) CloseFd(static_cast<int>(i));
    if (poll_ != nullptr) {
      uv_poll_stop(poll_);
      poll_->data = nullptr;
      uv_close(reinterpret_cast<uv_handle_t*>(poll_), [](uv_handle_t* h) { delete reinterpret_cast<uv_poll_t*>(h); });
      poll_ = nullptr;
    }
    if (prepare_ != nullptr) {
      uv_prepare_stop(prepare_);
      prepare_->data = nullptr;
      uv_close(reinterpret_cast<uv_handle_t*>(prepare_), [](uv_handle_t* h) { delete reinterpret_cast<uv_prepare_t*>(h); });
      prepare_ = nullptr;
    }
    // Joins the thread after it has sent what was queued, then closes the sockets it still used.
    if (sender_) sender_->Stop();
    if (epfd_ >= 0) ::close(epfd_);
    epfd_ = -1;
  }

  Sock* SockArg(const Napi::CallbackInfo& info, size_t i) {
    Napi::Value v = info[i];
    if (!v.IsNumber()) throw Napi::TypeError::New(env_, "UdpIo: socket id must be a number");
    int32_t id = v.As<Napi::Number>().Int32Value();
    if (id < 0 || static_cast<size_t>(id) >= socks_.size() || socks_[id].fd < 0) return nullptr;
    return &socks_[id];
  }

  // open(ip, port[, bufferBytes]): socket id, or -errno when the address cannot be bound (EADDRINUSE:
  // try another port). bufferBytes > 0 asks the kernel for that much receive and send buffer: a
  // signalling socket (one per SIP listener) takes bursts the default ~208 KiB drops, while the
  // thousands of RTP sockets keep the default (the kernel caps both at net.core.[rw]mem_max).
  Napi::Value Open(const Napi::CallbackInfo& info) {
    if (epfd_ < 0) throw Napi::Error::New(env_, "UdpIo is closed");
    if (!info[0].IsString()) throw Napi::TypeError::New(env_, "UdpIo.open: ip must be a string");
    std::string ip = info[0].As<Napi::String>().Utf8Value();
    int port = IntArg(info, 1, "UdpIo.open", "port", 0, 65535);
    int family = ip.find(':') != std::string::npos ? AF_INET6 : AF_INET;
    Peer local;
    if (!ParseAddr(ip, port, family, &local)) throw Napi::TypeError::New(env_, "UdpIo.open: bad ip " + ip);
    int bufferBytes = info.Length() > 2 && !info[2].IsUndefined() ? IntArg(info, 2, "UdpIo.open", "bufferBytes", 0, 1 << 30) : 0;
    int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return Napi::Number::New(env_, -errno);
    if (bufferBytes > 0) {
      // Best effort, as dgram's setRecvBufferSize: a refused size leaves the default, which works.
      setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufferBytes, sizeof bufferBytes);
      setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bufferBytes, sizeof bufferBytes);
    }
    if (bind(fd, reinterpret_cast<sockaddr*>(&local.addr), local.len) != 0) {
      int err = errno;
      ::close(fd);
      return Napi::Number::New(env_, -err);
    }
    int id = -1;
    if (!free_.empty()) {
      id = free_.front();
      free_.erase(free_.begin());
    } else {
      id = static_cast<int>(socks_.size());
      socks_.emplace_back();
    }
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = static_cast<uint32_t>(id);
    if (epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
      int err = errno;
      ::close(fd);
      free_.push_back(id);
      return Napi::Number::New(env_, -err);
    }
    socks_[id] = Sock{fd, family, Peer{}};
    if (open_++ == 0) uv_ref(reinterpret_cast<uv_handle_t*>(poll_));
    return Napi::Number::New(env_, id);
  }

  void CloseFd(int id) {
    Sock& s = socks_[id];
    if (s.fd < 0) return;
    if (epfd_ >= 0) epoll_ctl(epfd_, EPOLL_CTL_DEL, s.fd, nullptr);
    if (sender_) sender_->CloseLater(s.fd);
    else ::close(s.fd);
    s.fd = -1;
    // A reused id must not inherit the closed socket's route.
    if (id < relayCap_) relay_[static_cast<size_t>(id) * kRelayWords + kArmed] = 0;
    s.peer.len = 0;
    // Ids are reused oldest first, so a late datagram of a closed socket never reaches its successor.
    free_.push_back(id);
    if (--open_ == 0 && poll_ != nullptr) uv_unref(reinterpret_cast<uv_handle_t*>(poll_));
  }

  Napi::Value CloseSocket(const Napi::CallbackInfo& info) {
    Sock* s = SockArg(info, 0);
    if (s != nullptr) CloseFd(static_cast<int>(s - socks_.data()));
    return env_.Undefined();
  }

  // localPort(id): the port the socket is bound to (what port 0 turned into), or -1.
  Napi::Value LocalPort(const Napi::CallbackInfo& info) {
    Sock* s = SockArg(info, 0);
    sockaddr_storage a{};
    socklen_t len = sizeof(a);
    if (s == nullptr || getsockname(s->fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) return Napi::Number::New(env_, -1);
    uint16_t port = a.ss_family == AF_INET ? reinterpret_cast<sockaddr_in*>(&a)->sin_port : reinterpret_cast<sockaddr_in6*>(&a)->sin6_port;
    return Napi::Number::New(env_, ntohs(port));
  }

  // setPeer(id, address, port): where send() goes and which source is flagged as "from peer"; port 0 clears.
  Napi::Value SetPeer(const Napi::CallbackInfo& info) {
    Sock* s = SockArg(info, 0);
    if (s == nullptr) return Napi::Boolean::New(env_, false);
    int port = IntArg(info, 2, "UdpIo.setPeer", "port", 0, 65535);
    if (port == 0 || !info[1].IsString()) {
      s->peer.len = 0;
      return Napi::Boolean::New(env_, true);
    }
    Peer p;
    if (!ParseAddr(info[1].As<Napi::String>().Utf8Value(), port, s->family, &p)) {
      s->peer.len = 0;
      return Napi::Boolean::New(env_, false);
    }
    s->peer = p;
    return Napi::Boolean::New(env_, true);
  }

  // Bytes [off, off + len) of a Uint8Array, checked.
  Span<uint8_t> Range(const Napi::CallbackInfo& info, size_t i, const char* method) {
    Span<uint8_t> buf = BytesArg(info, i, method, "data");
    int32_t off = IntArg(info, i + 1, method, "offset", 0, 0x7fffffff);
    int32_t len = IntArg(info, i + 2, method, "length", 0, 65507);
    if (static_cast<size_t>(off) + static_cast<size_t>(len) > buf.length) {
      throw Napi::RangeError::New(env_, std::string(method) + ": offset + length past the end of data");
    }
    return {buf.data + off, static_cast<size_t>(len)};
  }

  // Through the send thread when there is one (the datagram is copied), else sendto() now.
  Napi::Value Transmit(const Sock& s, const Peer& to, const Span<uint8_t>& r) {
    if (sender_ && sender_->Enqueue(s.fd, to.addr, to.len, r.data, r.length)) {
      queued_++;
      return Napi::Number::New(env_, static_cast<double>(r.length));
    }
    return Result(sendto(s.fd, r.data, r.length, MSG_DONTWAIT, reinterpret_cast<const sockaddr*>(&to.addr), to.len));
  }

  // The native relay's send, straight from the reading thread even when there is a send thread: the
  // thread exists to keep sendto() out of the media tick, and relayed packets are sent outside any
  // tick, where the hand-over (copy, wakeup, a second thread's switch) costs more than the sendto.
  bool TransmitRaw(const Sock& s, const uint8_t* data, size_t len) {
    if (sendto(s.fd, data, len, MSG_DONTWAIT, reinterpret_cast<const sockaddr*>(&s.peer.addr), s.peer.len) < 0) {
      sendErrors_++;
      return false;
    }
    sent_++;
    return true;
  }

  Napi::Value Result(ssize_t n) {
    if (n < 0) {
      sendErrors_++;
      return Napi::Number::New(env_, -errno);
    }
    sent_++;
    return Napi::Number::New(env_, static_cast<double>(n));
  }

  // send(id, data, offset, length): to the socket's peer. Bytes sent, or -errno (-ENOTCONN without a peer).
  Napi::Value Send(const Napi::CallbackInfo& info) {
    Sock* s = SockArg(info, 0);
    Span<uint8_t> r = Range(info, 1, "UdpIo.send");
    if (s == nullptr) return Napi::Number::New(env_, -EBADF);
    if (s->peer.len == 0) return Napi::Number::New(env_, -ENOTCONN);
    return Transmit(*s, s->peer, r);
  }

  // sendTo(id, data, offset, length, address, port): for the odd packet that does not go to the peer (RTCP).
  Napi::Value SendTo(const Napi::CallbackInfo& info) {
    Sock* s = SockArg(info, 0);
    Span<uint8_t> r = Range(info, 1, "UdpIo.sendTo");
    if (!info[4].IsString()) throw Napi::TypeError::New(env_, "UdpIo.sendTo: address must be a string");
    int port = IntArg(info, 5, "UdpIo.sendTo", "port", 1, 65535);
    if (s == nullptr) return Napi::Number::New(env_, -EBADF);
    Peer to;
    if (!ParseAddr(info[4].As<Napi::String>().Utf8Value(), port, s->family, &to)) return Napi::Number::New(env_, -EINVAL);
    return Transmit(*s, to, r);
  }

  const sockaddr_storage* SourceArg(const Napi::CallbackInfo& info) {
    int32_t i = IntArg(info, 0, "UdpIo.source", "index", 0, 0x7fffffff);
    return i < batch_ ? &names_[meta_[static_cast<size_t>(i) * kMetaWords + 1] / slot_] : nullptr;
  }

  // sourceAddress(i) / sourcePort(i): where datagram i of the batch being delivered came from (the latching
  // slow path; the hot path only reads the from-peer flag).
  Napi::Value SourceAddress(const Napi::CallbackInfo& info) {
    const sockaddr_storage* a = SourceArg(info);
    if (a == nullptr) return env_.Undefined();
    char text[INET6_ADDRSTRLEN] = {0};
    if (a->ss_family == AF_INET) inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(a)->sin_addr, text, sizeof(text));
    else inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(a)->sin6_addr, text, sizeof(text));
    return Napi::String::New(env_, text);
  }

  Napi::Value SourcePort(const Napi::CallbackInfo& info) {
    const sockaddr_storage* a = SourceArg(info);
    if (a == nullptr) return env_.Undefined();
    uint16_t port = a->ss_family == AF_INET ? reinterpret_cast<const sockaddr_in*>(a)->sin_port : reinterpret_cast<const sockaddr_in6*>(a)->sin6_port;
    return Napi::Number::New(env_, ntohs(port));
  }

  Napi::Value Counters(const Napi::CallbackInfo&) {
    Napi::Object o = Napi::Object::New(env_);
    o.Set("wakeups", static_cast<double>(wakeups_));
    o.Set("batches", static_cast<double>(batches_));
    o.Set("received", static_cast<double>(received_));
    o.Set("truncated", static_cast<double>(truncated_));
    o.Set("sent", static_cast<double>(sent_ + (sender_ ? sender_->sent() : 0)));
    o.Set("sendErrors", static_cast<double>(sendErrors_ + (sender_ ? sender_->errors() : 0)));
    o.Set("sendThread", sender_ != nullptr);
    if (sender_) {
      o.Set("queued", static_cast<double>(queued_));
      o.Set("sendThreadWakeups", static_cast<double>(sender_->wakeups()));
      o.Set("queueFull", static_cast<double>(sender_->overflow()));
    }
    o.Set("open", open_);
    o.Set("relayed", static_cast<double>(relayed_));
    return o;
  }

  // setRelayTable(records: Float64Array, ptMaps: Uint8Array): the relay routes, one record (relay-route.h)
  // and one 128-byte payload-type map per socket id. JS calls it again with bigger arrays as ids grow.
  Napi::Value SetRelayTable(const Napi::CallbackInfo& info) {
    if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
      throw Napi::TypeError::New(env_, "UdpIo.setRelayTable: records must be a Float64Array");
    }
    auto records = info[0].As<Napi::TypedArrayOf<double>>();
    Span<uint8_t> maps = BytesArg(info, 1, "UdpIo.setRelayTable", "ptMaps");
    size_t cap = records.ElementLength() / kRelayWords;
    if (maps.length / kPtMapBytes < cap) cap = maps.length / kPtMapBytes;
    relayRef_ = Napi::Persistent(info[0].As<Napi::Object>());
    ptMapRef_ = Napi::Persistent(info[1].As<Napi::Object>());
    relay_ = records.Data();
    ptMaps_ = maps.data;
    relayCap_ = static_cast<int>(cap);
    deferred_.assign(cap, 0);
    return env_.Undefined();
  }

  // sendShared(ids: Int32Array, heads: Uint8Array, count, payload, offset, length, failed: Uint8Array):
  // one payload to `count` sockets' peers, each behind its own 12-byte RTP header (heads[12*i...]).
  // A conference sends the same encoded mix to every listener who is not talking; one call per tick
  // instead of one per listener. failed[i] is set to 1 for a datagram that did not go out; returns
  // how many did not.
  Napi::Value SendShared(const Napi::CallbackInfo& info) {
    const char* m = "UdpIo.sendShared";
    if (!info[0].IsTypedArray() || info[0].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
      throw Napi::TypeError::New(env_, "UdpIo.sendShared: ids must be an Int32Array");
    }
    auto ids = info[0].As<Napi::TypedArrayOf<int32_t>>();
    Span<uint8_t> heads = BytesArg(info, 1, m, "heads");
    int32_t count = IntArg(info, 2, m, "count", 0, 0x7fffffff);
    Span<uint8_t> body = Range(info, 3, m);
    Span<uint8_t> failed = BytesArg(info, 6, m, "failed");
    if (static_cast<size_t>(count) > ids.ElementLength() || static_cast<size_t>(count) * 12 > heads.length || static_cast<size_t>(count) > failed.length) {
      throw Napi::RangeError::New(env_, "UdpIo.sendShared: count exceeds ids, heads or failed");
    }
    int bad = 0;
    for (int32_t i = 0; i < count; i++) {
      int32_t id = ids.Data()[i];
      const uint8_t* head = heads.data + static_cast<size_t>(i) * 12;
      bool ok = false;
      if (id >= 0 && static_cast<size_t>(id) < socks_.size() && socks_[id].fd >= 0 && socks_[id].peer.len != 0) {
        const Sock& s = socks_[id];
        if (sender_ && sender_->Enqueue2(s.fd, s.peer.addr, s.peer.len, head, 12, body.data, body.length)) {
          queued_++;
          ok = true;
        } else {
          iovec iov[2] = {{const_cast<uint8_t*>(head), 12}, {body.data, body.length}};
          msghdr h{};
          h.msg_name = const_cast<sockaddr_storage*>(&s.peer.addr);
          h.msg_namelen = s.peer.len;
          h.msg_iov = iov;
          h.msg_iovlen = 2;
          ok = sendmsg(s.fd, &h, MSG_DONTWAIT) >= 0;
          if (ok) sent_++;
          else sendErrors_++;
        }
      }
      failed.data[i] = ok ? 0 : 1;
      if (!ok) bad++;
    }
    return Napi::Number::New(env_, bad);
  }

  // hrtimeMs(): the monotonic clock the relay stamps packets with, so JS can map it onto its own clock.
  Napi::Value HrtimeMs(const Napi::CallbackInfo&) { return Napi::Number::New(env_, static_cast<double>(uv_hrtime()) / 1e6); }

  // Relay datagram `pkt` of socket `id` natively when its route is armed and takes it. Once a socket's
  // datagram goes to JS, the rest of that socket's batch does too, so JS sees its packets in order.
  bool TryRelay(int id, uint8_t* pkt, size_t len, bool fromPeer) {
    if (id >= relayCap_) return false;
    double* r = relay_ + static_cast<size_t>(id) * kRelayWords;
    if (r[kArmed] == 0 || deferred_[id]) return false;
    double out = r[kOutSock];
    size_t o = static_cast<size_t>(out);
    bool ready = fromPeer && out >= 0 && o < socks_.size() && socks_[o].fd >= 0 && socks_[o].peer.len != 0;
    if (!ready) {
      Defer(id);
      return false;
    }
    if (nowHr_ < 0) nowHr_ = static_cast<double>(uv_hrtime()) / 1e6;
    double now = nowHr_ + r[kClockOffset];
    if (!RelayPacket(r, ptMaps_ + static_cast<size_t>(id) * kPtMapBytes, pkt, len, now)) {
      Defer(id);
      return false;
    }
    RelaySent(r, pkt, len, now, TransmitRaw(socks_[o], pkt, len));
    relayed_++;
    return true;
  }

  void Defer(int id) {
    deferred_[id] = 1;
    deferredIds_.push_back(id);
  }

  Napi::Value Close(const Napi::CallbackInfo&) {
    Shutdown();
    return env_.Undefined();
  }

  static void OnPrepare(uv_prepare_t* handle) {
    auto* self = static_cast<UdpIoWrap*>(handle->data);
    if (self == nullptr || !self->sender_) return;
    self->sender_->Wake();
    self->sender_->Reap();
  }

  static void OnReadable(uv_poll_t* handle, int status, int) {
    auto* self = static_cast<UdpIoWrap*>(handle->data);
    if (self == nullptr || status < 0) return;
    self->Drain();
  }

  // Read every ready socket into the area; returns the datagram count. Datagram i of a batch sits in the
  // slot its meta offset names (a truncated one leaves its slot unused).
  int Fill() {
    epoll_event events[kMaxEvents];
    int ready = epoll_wait(epfd_, events, kMaxEvents, 0);
    nowHr_ = -1;
    for (int id : deferredIds_) if (id < relayCap_) deferred_[id] = 0;
    deferredIds_.clear();
    int n = 0;
    int used = 0;
    for (int e = 0; e < ready && used < capacity_; e++) {
      uint32_t id = events[e].data.u32;
      if (id >= socks_.size() || socks_[id].fd < 0) continue;
      const Sock& s = socks_[id];
      while (used < capacity_) {
        unsigned want = static_cast<unsigned>(capacity_ - used) < kBurst ? static_cast<unsigned>(capacity_ - used) : kBurst;
        for (unsigned k = 0; k < want; k++) {
          int slot = used + static_cast<int>(k);
          iovs_[slot].iov_base = data_ + static_cast<size_t>(slot) * slot_;
          iovs_[slot].iov_len = slot_;
          msghdr& h = msgs_[slot].msg_hdr;
          std::memset(&h, 0, sizeof(h));
          h.msg_name = &names_[slot];
          h.msg_namelen = sizeof(sockaddr_storage);
          h.msg_iov = &iovs_[slot];
          h.msg_iovlen = 1;
        }
        int got = recvmmsg(s.fd, &msgs_[used], want, MSG_DONTWAIT, nullptr);
        if (got <= 0) break;
        for (int k = 0; k < got; k++) {
          int slot = used + k;
          const mmsghdr& mm = msgs_[slot];
          if (mm.msg_hdr.msg_flags & MSG_TRUNC) {
            truncated_++;
            continue;
          }
          bool fromPeer = s.peer.len != 0 && SameAddr(names_[slot], s.peer.addr);
          if (TryRelay(static_cast<int>(id), data_ + static_cast<size_t>(slot) * slot_, mm.msg_len, fromPeer)) continue;
          int32_t* meta = meta_ + static_cast<size_t>(n) * kMetaWords;
          meta[0] = static_cast<int32_t>(id);
          meta[1] = slot * slot_;
          meta[2] = static_cast<int32_t>(mm.msg_len);
          meta[3] = fromPeer ? kFlagFromPeer : 0;
          n++;
        }
        used += got;
        if (static_cast<unsigned>(got) < want) break;
      }
    }
    full_ = used >= capacity_;
    return n;
  }

  void Drain() {
    wakeups_++;
    for (int round = 0; round < kMaxRounds && epfd_ >= 0; round++) {
      int n = Fill();
      if (n == 0 && !full_) return;
      if (n == 0) continue;
      batches_++;
      received_ += static_cast<uint64_t>(n);
      Deliver(n);
      if (!full_) return;
    }
  }

  void Deliver(int n) {
    Napi::HandleScope scope(env_);
    batch_ = n;
    try {
      onBatch_.MakeCallback(Value(), {Napi::Number::New(env_, n)}, *asyncContext_);
    } catch (const Napi::Error& e) {
      batch_ = 0;
      // Same outcome as a throw in any other I/O callback: the process's uncaughtException path.
      napi_fatal_exception(env_, e.Value());
      return;
    }
    batch_ = 0;
  }

  Napi::Env env_;
  uint8_t* data_ = nullptr;
  int32_t* meta_ = nullptr;
  int slot_ = 2048;
  int capacity_ = 0;
  int batch_ = 0;
  bool full_ = false;
  Napi::ObjectReference dataRef_;
  Napi::ObjectReference metaRef_;
  Napi::FunctionReference onBatch_;
  std::unique_ptr<Napi::AsyncContext> asyncContext_;
  std::vector<sockaddr_storage> names_;
  std::vector<mmsghdr> msgs_;
  std::vector<iovec> iovs_;
  std::vector<Sock> socks_;
  std::vector<int> free_;
  int open_ = 0;
  int epfd_ = -1;
  uv_poll_t* poll_ = nullptr;
  uv_prepare_t* prepare_ = nullptr;
  std::unique_ptr<SendThread> sender_;
  // Native relay routes (relay-route.h), indexed by socket id; shared with JS.
  Napi::ObjectReference relayRef_;
  Napi::ObjectReference ptMapRef_;
  double* relay_ = nullptr;
  uint8_t* ptMaps_ = nullptr;
  int relayCap_ = 0;
  std::vector<uint8_t> deferred_;
  std::vector<int> deferredIds_;
  double nowHr_ = -1;
  uint64_t relayed_ = 0;
  uint64_t queued_ = 0;
  uint64_t wakeups_ = 0, batches_ = 0, received_ = 0, truncated_ = 0, sent_ = 0, sendErrors_ = 0;
};

}  // namespace

Napi::Function DefineUdpIo(Napi::Env env) { return UdpIoWrap::Define(env); }

}  // namespace media
