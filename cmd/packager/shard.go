package main

import "github.com/packager-dev/packager/internal/pipeline"

// shardValue parses --shard I/N ("" is no sharding). Each shard publishes every
// platform as its own image, so --index, which asks for an index, cannot
// go with it.
func (f buildFlags) shardValue() (pipeline.Shard, error) {
	if f.shard == "" {
		return pipeline.Shard{}, nil
	}
	shard, ok := pipeline.ParseShard(f.shard)
	if !ok {
		return pipeline.Shard{}, usageErrorf("--shard %q: write I/N with 1 <= I <= N, e.g. --shard 2/4 for the second of four CI jobs", f.shard)
	}
	if f.index {
		return pipeline.Shard{}, usageErrorf("--shard publishes each platform as its own image (TAG-OS-ARCH); drop --index and merge them with packager index create")
	}
	return shard, nil
}
