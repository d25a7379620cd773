#!/bin/sh
# Builds JCCL's native reduce kernels (reduce_loops.c once per ISA level, plus the JNI glue
# jccl_reduce.c) into one library in the class output directory, where
# io.jccl.reduce.NativeKernels finds them at run time. Called by Maven (core/pom.xml, phase
# generate-resources) with: build.sh <java home> <class output dir>.
#
# Only linux-x86_64 is built here; on any other platform the jar carries no library and JCCL runs
# its Java kernels (jccl.reduce.kernels=auto). On linux-x86_64 a missing compiler fails the build:
# a jar without the library would silently be slower. Override the compiler with CC.
set -eu
java_home=$1
out_dir=$2/io/jccl/reduce/native/linux-x86_64
dir=$(dirname "$0")
os=$(uname -s)
arch=$(uname -m)
if [ "$os" != Linux ] || [ "$arch" != x86_64 ]; then
    echo "jccl native kernels: not built on $os/$arch (linux-x86_64 only); the Java kernels will be used"
    exit 0
fi
cc=${CC:-gcc}
if ! command -v "$cc" >/dev/null 2>&1; then
    echo "jccl native kernels: C compiler '$cc' not found. Install gcc (apt-get install gcc) or set CC." >&2
    exit 1
fi
if [ ! -f "$java_home/include/jni.h" ]; then
    echo "jccl native kernels: no JNI headers under $java_home/include; build with a full JDK." >&2
    exit 1
fi
lib=$out_dir/libjcclreduce.so
fresh=1
for f in "$dir"/*.c "$dir"/*.h "$0"; do
    if [ ! -f "$lib" ] || [ "$f" -nt "$lib" ]; then
        fresh=0
    fi
done
if [ "$fresh" = 1 ]; then
    exit 0
fi
mkdir -p "$out_dir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flags="-O3 -fPIC -ffp-contract=off -fno-strict-aliasing -fvisibility=hidden -Wall -Wextra -Werror"
# One copy of the loops per ISA level; the glue picks one at load time (x86-64-v4 = AVX-512).
for level in v4:x86-64-v4 v3:x86-64-v3 base:x86-64; do
    "$cc" $flags -march="${level#*:}" -DJCCL_ISA="${level%%:*}" -c -o "$tmp/loops_${level%%:*}.o" \
        "$dir/reduce_loops.c"
done
"$cc" $flags -march=x86-64 -I"$java_home/include" -I"$java_home/include/linux" -c -o "$tmp/glue.o" \
    "$dir/jccl_reduce.c"
"$cc" -shared -o "$lib.tmp" "$tmp"/*.o
mv "$lib.tmp" "$lib"
echo "jccl native kernels: built $lib"
