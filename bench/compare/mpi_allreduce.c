/*
 * mpi_allreduce: fp32 SUM MPI_Allreduce (out of place) timed per message size, for the JCCL
 * comparison (bench/compare/compare.sh). Measures the way jccl-perf does:
 *
 *   per size: fill and check one call (a broken run stops here), warm-up calls, MPI_Barrier,
 *   then the timed calls, each also timed on its own.
 *
 *   time_us    = timed loop duration / iterations, the maximum over ranks
 *   algbw_gbps = bytes / time (1e9 bytes per second)
 *   busbw_gbps = algbw * 2(n-1)/n (nccl-tests' allreduce factor)
 *   p50_us     = median of the single-call times at rank 0
 *
 * Usage: mpi_allreduce BYTES:ITERS:WARMUP [BYTES:ITERS:WARMUP ...]
 * Rank 0 prints '#' comment lines and one CSV line per size:
 *   bytes,count,iters,warmup,time_us,algbw_gbps,busbw_gbps,p50_us
 * Exit status is non-zero when a result is wrong or an argument is bad.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    long bytes;
    int iters;
    int warmup;
} size_spec;

static int parse_spec(const char *arg, size_spec *out) {
    char tail;
    if (sscanf(arg, "%ld:%d:%d%c", &out->bytes, &out->iters, &out->warmup, &tail) != 3) {
        return -1;
    }
    if (out->bytes < 4 || out->bytes % 4 != 0 || out->iters < 1 || out->warmup < 0) {
        return -1;
    }
    return 0;
}

static int compare_doubles(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

/* Small integers: every partial sum is exact in fp32, so any reduction order gives the same bits. */
static float input_value(int rank, long i) {
    return (float) ((rank + 1) * (int) (i % 7 + 1));
}

static long check_result(const float *recv, long count, int ranks) {
    long wrong = 0;
    float rank_sum = (float) (ranks * (ranks + 1) / 2);
    for (long i = 0; i < count; i++) {
        if (recv[i] != rank_sum * (float) (i % 7 + 1)) {
            wrong++;
        }
    }
    return wrong;
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank, ranks;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);

    if (argc < 2) {
        if (rank == 0) {
            fprintf(stderr, "usage: %s BYTES:ITERS:WARMUP [...]\n", argv[0]);
        }
        MPI_Finalize();
        return 2;
    }
    int nspecs = argc - 1;
    size_spec *specs = calloc((size_t) nspecs, sizeof *specs);
    for (int s = 0; s < nspecs; s++) {
        if (parse_spec(argv[s + 1], &specs[s]) != 0) {
            if (rank == 0) {
                fprintf(stderr, "mpi_allreduce: bad size spec '%s' (want BYTES:ITERS:WARMUP, BYTES a multiple"
                        " of 4)\n", argv[s + 1]);
            }
            MPI_Finalize();
            return 2;
        }
    }

    double factor = 2.0 * (ranks - 1) / ranks;
    if (rank == 0) {
        printf("# mpi_allreduce float32 sum, %d ranks, out of place\n", ranks);
        printf("# bytes,count,iters,warmup,time_us,algbw_gbps,busbw_gbps,p50_us\n");
        fflush(stdout);
    }
    int failed = 0;
    for (int s = 0; s < nspecs && !failed; s++) {
        long count = specs[s].bytes / 4;
        int iters = specs[s].iters;
        float *send = malloc((size_t) specs[s].bytes);
        float *recv = malloc((size_t) specs[s].bytes);
        double *single = malloc((size_t) iters * sizeof(double));
        if (send == NULL || recv == NULL || single == NULL) {
            fprintf(stderr, "mpi_allreduce: rank %d: out of memory at %ld bytes\n", rank, specs[s].bytes);
            MPI_Abort(MPI_COMM_WORLD, 3);
        }
        for (long i = 0; i < count; i++) {
            send[i] = input_value(rank, i);
        }
        memset(recv, 0, (size_t) specs[s].bytes);

        MPI_Allreduce(send, recv, (int) count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
        long wrong = check_result(recv, count, ranks), total_wrong = 0;
        MPI_Allreduce(&wrong, &total_wrong, 1, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
        if (total_wrong != 0) {
            if (rank == 0) {
                fprintf(stderr, "mpi_allreduce: %ld wrong elements at %ld bytes\n", total_wrong, specs[s].bytes);
            }
            failed = 1;
        } else {
            for (int w = 0; w < specs[s].warmup; w++) {
                MPI_Allreduce(send, recv, (int) count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
            }
            MPI_Barrier(MPI_COMM_WORLD);
            double start = MPI_Wtime();
            for (int it = 0; it < iters; it++) {
                double t0 = MPI_Wtime();
                MPI_Allreduce(send, recv, (int) count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
                single[it] = MPI_Wtime() - t0;
            }
            double mean_s = (MPI_Wtime() - start) / iters, max_mean_s = 0;
            MPI_Reduce(&mean_s, &max_mean_s, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
            if (rank == 0) {
                qsort(single, (size_t) iters, sizeof(double), compare_doubles);
                double p50_s = iters % 2 ? single[iters / 2] : (single[iters / 2 - 1] + single[iters / 2]) / 2;
                double algbw = specs[s].bytes / max_mean_s / 1e9;
                printf("%ld,%ld,%d,%d,%.3f,%.6g,%.6g,%.3f\n", specs[s].bytes, count, iters, specs[s].warmup,
                       max_mean_s * 1e6, algbw, algbw * factor, p50_s * 1e6);
                fflush(stdout);
            }
        }
        free(send);
        free(recv);
        free(single);
    }
    free(specs);
    MPI_Finalize();
    return failed ? 1 : 0;
}
