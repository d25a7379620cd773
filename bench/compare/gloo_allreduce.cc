// gloo_allreduce: fp32 SUM allreduce with Gloo over TCP on 127.0.0.1, timed per message size, for the
// JCCL comparison (bench/compare/compare.sh). One process per rank; the script starts them all.
//
//   --algo ring: gloo::allreduce (the options API PyTorch's ProcessGroupGloo uses) with
//                AllreduceOptions::Algorithm::RING, out of place (separate input and output).
//   --algo hd:   the legacy gloo::AllreduceHalvingDoubling<float>, which only works in place.
//
// Per size: fill and check one call (a broken run stops here), warm-up calls, a barrier, then the timed
// calls, each also timed on its own. Output and definitions are the same as mpi_allreduce's:
//
//   time_us = timed loop duration / iterations, maximum over ranks; algbw_gbps = bytes / time;
//   busbw_gbps = algbw * 2(n-1)/n; p50_us = median single-call time at rank 0.
//
// Usage: gloo_allreduce --rank R --size N --store DIR --algo ring|hd [--timeout-ms MS]
//                       BYTES:ITERS:WARMUP [...]
// Rank 0 prints '#' comment lines and one CSV line per size:
//   bytes,count,iters,warmup,time_us,algbw_gbps,busbw_gbps,p50_us
// Exit status is non-zero on a wrong result, a Gloo error (including a peer's timeout) or a bad argument.

#include <gloo/allreduce.h>
#include <gloo/allreduce_halving_doubling.h>
#include <gloo/barrier.h>
#include <gloo/math.h>
#include <gloo/rendezvous/context.h>
#include <gloo/rendezvous/file_store.h>
#include <gloo/transport/tcp/device.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <string>
#include <vector>

namespace {

struct SizeSpec {
    long bytes;
    int iters;
    int warmup;
};

struct Args {
    int rank = -1;
    int size = -1;
    std::string store;
    std::string algo;
    long timeoutMs = 120000;
    std::vector<SizeSpec> specs;
};

[[noreturn]] void usage(const std::string& why) {
    std::fprintf(stderr,
                 "gloo_allreduce: %s\nusage: gloo_allreduce --rank R --size N --store DIR --algo ring|hd"
                 " [--timeout-ms MS] BYTES:ITERS:WARMUP [...]\n",
                 why.c_str());
    std::exit(2);
}

Args parseArgs(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; i++) {
        std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                usage("missing value after " + arg);
            }
            return argv[++i];
        };
        if (arg == "--rank") {
            a.rank = std::atoi(value().c_str());
        } else if (arg == "--size") {
            a.size = std::atoi(value().c_str());
        } else if (arg == "--store") {
            a.store = value();
        } else if (arg == "--algo") {
            a.algo = value();
        } else if (arg == "--timeout-ms") {
            a.timeoutMs = std::atol(value().c_str());
        } else {
            SizeSpec s{};
            char tail;
            if (std::sscanf(arg.c_str(), "%ld:%d:%d%c", &s.bytes, &s.iters, &s.warmup, &tail) != 3
                || s.bytes < 4 || s.bytes % 4 != 0 || s.iters < 1 || s.warmup < 0) {
                usage("bad size spec '" + arg + "' (want BYTES:ITERS:WARMUP, BYTES a multiple of 4)");
            }
            a.specs.push_back(s);
        }
    }
    if (a.size < 1 || a.rank < 0 || a.rank >= a.size) {
        usage("need --rank and --size with 0 <= rank < size");
    }
    if (a.store.empty() || (a.algo != "ring" && a.algo != "hd") || a.specs.empty() || a.timeoutMs < 1) {
        usage("need --store, --algo ring|hd, a positive --timeout-ms and at least one size");
    }
    return a;
}

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Small integers: every partial sum is exact in fp32, so any reduction order gives the same bits.
float inputValue(int rank, long i) {
    return static_cast<float>((rank + 1) * static_cast<int>(i % 7 + 1));
}

// One allreduce of a single value with the options API; used for the result check and max-over-ranks.
template <typename T>
T allreduceScalar(const std::shared_ptr<gloo::Context>& ctx, T value, bool max) {
    T in = value;
    T out = 0;
    gloo::AllreduceOptions opts(ctx);
    opts.setInput(&in, 1);
    opts.setOutput(&out, 1);
    using Fn = void (*)(void*, const void*, const void*, size_t);
    opts.setReduceFunction(max ? static_cast<Fn>(&gloo::max<T>) : static_cast<Fn>(&gloo::sum<T>));
    opts.setTag(1);
    gloo::allreduce(opts);
    return out;
}

// The collective under test, bound to its buffers for one size.
class Collective {
public:
    // gloo::Algorithm's destructor may throw, so the base must allow it too.
    virtual ~Collective() noexcept(false) = default;
    virtual void run() = 0;
};

class RingCollective : public Collective {
public:
    RingCollective(std::shared_ptr<gloo::Context> ctx, float* send, float* recv, size_t count)
        : ctx_(std::move(ctx)), send_(send), recv_(recv), count_(count) {}

    // Options are built per call, as ProcessGroupGloo does; that cost is part of a real call.
    void run() override {
        gloo::AllreduceOptions opts(ctx_);
        opts.setAlgorithm(gloo::AllreduceOptions::Algorithm::RING);
        opts.setInput(send_, count_);
        opts.setOutput(recv_, count_);
        opts.setReduceFunction(
            static_cast<void (*)(void*, const void*, const void*, size_t)>(&gloo::sum<float>));
        opts.setTag(0);
        gloo::allreduce(opts);
    }

private:
    std::shared_ptr<gloo::Context> ctx_;
    float* send_;
    float* recv_;
    size_t count_;
};

class HalvingDoublingCollective : public Collective {
public:
    HalvingDoublingCollective(const std::shared_ptr<gloo::Context>& ctx, float* buf, size_t count)
        : algo_(ctx, std::vector<float*>{buf}, static_cast<int>(count)) {}

    void run() override {
        algo_.run();
    }

private:
    gloo::AllreduceHalvingDoubling<float> algo_;
};

int runAll(const Args& args) {
    gloo::transport::tcp::attr attr("127.0.0.1");
    auto device = gloo::transport::tcp::CreateDevice(attr);
    gloo::rendezvous::FileStore store(args.store);
    auto context = std::make_shared<gloo::rendezvous::Context>(args.rank, args.size);
    context->setTimeout(std::chrono::milliseconds(args.timeoutMs));
    context->connectFullMesh(store, device);
    std::shared_ptr<gloo::Context> ctx = context;

    const int ranks = args.size;
    const double factor = 2.0 * (ranks - 1) / ranks;
    const bool inPlace = args.algo == "hd";
    if (args.rank == 0) {
        std::printf("# gloo_allreduce float32 sum, %d ranks, algo %s, %s\n", ranks,
                    inPlace ? "halving-doubling (legacy AllreduceHalvingDoubling)" : "ring (gloo::allreduce)",
                    inPlace ? "in place" : "out of place");
        std::printf("# bytes,count,iters,warmup,time_us,algbw_gbps,busbw_gbps,p50_us\n");
        std::fflush(stdout);
    }

    for (const SizeSpec& spec : args.specs) {
        const size_t count = static_cast<size_t>(spec.bytes / 4);
        std::vector<float> send(count);
        std::vector<float> recv(count, 0.0f);
        for (size_t i = 0; i < count; i++) {
            send[i] = inputValue(args.rank, static_cast<long>(i));
        }
        std::unique_ptr<Collective> collective;
        if (inPlace) {
            std::copy(send.begin(), send.end(), recv.begin());
            collective = std::make_unique<HalvingDoublingCollective>(ctx, recv.data(), count);
        } else {
            collective = std::make_unique<RingCollective>(ctx, send.data(), recv.data(), count);
        }

        collective->run();
        const float rankSum = static_cast<float>(ranks * (ranks + 1) / 2);
        int64_t wrong = 0;
        for (size_t i = 0; i < count; i++) {
            if (recv[i] != rankSum * static_cast<float>(i % 7 + 1)) {
                wrong++;
            }
        }
        const int64_t totalWrong = allreduceScalar<int64_t>(ctx, wrong, false);
        if (totalWrong != 0) {
            if (args.rank == 0) {
                std::fprintf(stderr, "gloo_allreduce: %lld wrong elements at %ld bytes\n",
                             static_cast<long long>(totalWrong), spec.bytes);
            }
            return 1;
        }
        if (inPlace) {
            // In place, every call multiplies the data by n; zeros keep it finite and cost the same.
            std::fill(recv.begin(), recv.end(), 0.0f);
        }

        for (int w = 0; w < spec.warmup; w++) {
            collective->run();
        }
        gloo::BarrierOptions barrier(ctx);
        gloo::barrier(barrier);
        std::vector<double> single(static_cast<size_t>(spec.iters));
        const auto start = Clock::now();
        for (int it = 0; it < spec.iters; it++) {
            const auto t0 = Clock::now();
            collective->run();
            single[static_cast<size_t>(it)] = secondsSince(t0);
        }
        const double meanS = secondsSince(start) / spec.iters;
        const double maxMeanS = allreduceScalar<double>(ctx, meanS, true);
        if (args.rank == 0) {
            std::sort(single.begin(), single.end());
            const size_t n = single.size();
            const double p50S = n % 2 ? single[n / 2] : (single[n / 2 - 1] + single[n / 2]) / 2;
            const double algbw = spec.bytes / maxMeanS / 1e9;
            std::printf("%ld,%zu,%d,%d,%.3f,%.6g,%.6g,%.3f\n", spec.bytes, count, spec.iters, spec.warmup,
                        maxMeanS * 1e6, algbw, algbw * factor, p50S * 1e6);
            std::fflush(stdout);
        }
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const Args args = parseArgs(argc, argv);
    try {
        return runAll(args);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gloo_allreduce: rank %d failed: %s\n", args.rank, e.what());
        return 1;
    }
}
