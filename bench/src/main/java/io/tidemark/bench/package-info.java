/** The side-by-side sink benchmark (bench/run): workloads, contenders, the Connect floor, and the CPU accounting. */
package io.tidemark.bench;
