#!/bin/sh
# Builds JCCL's native reduce kernels (jccl_reduce.c) into the class output directory, where
# io.jccl.reduce.NativeKernels finds them at run time. Called by Maven (core/pom.xml, phase
# generate-resources) with: build.sh <java home> <class output dir>.
#
# Only linux-x86_64 is built here; on any other platform the jar carries no library and JCCL runs
# its Java kernels (jccl.reduce.kernels=auto). On linux-x86_64 a missing compiler fails the build:
# a jar without the library would silently be slower. Override the compiler with CC.
set -eu
java_home=$1
out_dir=$2/io/jccl/reduce/native/linux-x86_64
src=$(dirname "$0")/jccl_reduce.c
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
if [ -f "$lib" ] && [ "$lib" -nt "$src" ] && [ "$lib" -nt "$0" ]; then
    exit 0
fi
mkdir -p "$out_dir"
"$cc" -O3 -fPIC -shared -ffp-contract=off -fno-strict-aliasing -Wall -Wextra -Werror \
    -I"$java_home/include" -I"$java_home/include/linux" -o "$lib.tmp" "$src"
mv "$lib.tmp" "$lib"
echo "jccl native kernels: built $lib"
