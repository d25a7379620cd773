/**
 * JMH microbenchmarks. Every benchmark extends {@link io.jccl.bench.jmh.JmhDefaults}. Build and run:
 * <pre>
 * mvn -q -pl bench -am package dependency:build-classpath -DskipTests -Dmdep.outputFile=$PWD/cp.txt
 * java -cp "bench/target/classes:$(cat cp.txt)" org.openjdk.jmh.Main ReduceKernel -p dtype=float32,int32 -p op=sum
 * </pre>
 * ({@code dependency:build-classpath} needs the reactor ({@code -am package}) because the JCCL modules
 * are not installed in the local repository.)
 */
package io.jccl.bench.jmh;
