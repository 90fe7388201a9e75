// Starts kinesalite (Kinesis) or dynalite (DynamoDB) in memory on 127.0.0.1 and prints
// "LISTENING <port>" once it accepts connections. Usage: node emu.js kinesalite|dynalite [port] [--exit-with-stdin]
// (port 0 or none: a free port chosen by the system); --exit-with-stdin: exit when stdin closes. Exits at once on SIGTERM: server.close()
// would wait for the SDK's keep-alive connections.
//
// kinesalite 3.3.3 is patched in this process for what KCL 2.x needs of a resharded stream:
// - GetRecords at the end of a closed shard returns its ChildShards (KCL rejects an empty list);
// - ListShards honours ShardFilter (KCL asks for the shards open at the initial position).
'use strict'

const which = process.argv[2]
const port = Number(process.argv[3] || 0)
if (which !== 'kinesalite' && which !== 'dynalite') {
  console.error('usage: node emu.js kinesalite|dynalite [port]')
  process.exit(2)
}

function patch(moduleName, wrap) {
  const path = require.resolve(moduleName)
  require(moduleName)
  require.cache[path].exports = wrap(require.cache[path].exports)
}

function parents(shard) {
  return [shard.ParentShardId, shard.AdjacentParentShardId].filter(Boolean)
}

if (which === 'kinesalite') {
  const db = require('kinesalite/db')

  patch('kinesalite/actions/getRecords', original => function getRecords(store, data, cb) {
    original(store, data, (err, result) => {
      if (err || !result || result.NextShardIterator) return cb(err, result)
      let streamName, shardId
      try {
        const crypto = require('crypto')
        const decipher = crypto.createDecipheriv('aes-256-cbc', db.ITERATOR_PWD_KEY, db.ITERATOR_PWD_IV)
        const buffer = Buffer.from(data.ShardIterator, 'base64')
        const pieces = Buffer.concat([decipher.update(buffer.slice(8)), decipher.final()]).toString('utf8').split('/')
        streamName = pieces[1]
        shardId = pieces[2]
      } catch (e) {
        return cb(err, result)
      }
      store.getStream(streamName, (streamErr, stream) => {
        if (streamErr) return cb(err, result)
        result.ChildShards = stream.Shards
          .filter(s => parents(s).includes(shardId))
          .map(s => ({ShardId: s.ShardId, ParentShards: parents(s), HashKeyRange: s.HashKeyRange}))
        cb(null, result)
      })
    })
  })

  patch('kinesalite/validations/listShards', validations => {
    validations.types.ShardFilter = {
      type: 'Structure',
      children: {
        Type: {type: 'String'},
        ShardId: {type: 'String'},
        Timestamp: {type: 'Timestamp'},
      },
    }
    return validations
  })

  patch('kinesalite/actions/listShards', original => function listShards(store, data, cb) {
    const filter = data.ShardFilter
    original(store, data, (err, result) => {
      if (err || !filter || !result) return cb(err, result)
      const all = result.Shards
      const ids = new Set(all.map(s => s.ShardId))
      const open = s => !s.SequenceNumberRange.EndingSequenceNumber
      const created = s => db.parseSequence(s.SequenceNumberRange.StartingSequenceNumber).shardCreateTime
      const closed = s => open(s) ? Infinity : db.parseSequence(s.SequenceNumberRange.EndingSequenceNumber).seqTime
      const at = filter.Timestamp != null ? new Date(filter.Timestamp * 1000).getTime() : 0
      switch (filter.Type) {
        case 'AT_LATEST':
          result.Shards = all.filter(open)
          break
        case 'AT_TRIM_HORIZON': // nothing is trimmed here: the shards without a parent in the stream
          result.Shards = all.filter(s => !parents(s).some(p => ids.has(p)))
          break
        case 'AT_TIMESTAMP':
          result.Shards = all.filter(s => created(s) <= at && closed(s) > at)
          if (!result.Shards.length) result.Shards = all.filter(s => !parents(s).some(p => ids.has(p)))
          break
        case 'FROM_TIMESTAMP':
          result.Shards = all.filter(s => closed(s) > at)
          break
        case 'AFTER_SHARD_ID':
          result.Shards = all.filter(s => s.ShardId > filter.ShardId)
          break
        default: // FROM_TRIM_HORIZON
          break
      }
      cb(null, result)
    })
  })
}

const server = which === 'kinesalite'
  ? require('kinesalite')({createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100})
  : require('dynalite')({createTableMs: 0, deleteTableMs: 0, updateTableMs: 0})

process.on('SIGTERM', () => process.exit(0))
process.on('SIGINT', () => process.exit(0))
if (process.argv.includes('--exit-with-stdin')) {
  // the parent holds our stdin open: when it dies, even by SIGKILL, we go too
  process.stdin.on('end', () => process.exit(0))
  process.stdin.on('error', () => process.exit(0))
  process.stdin.resume()
}
server.listen(port, '127.0.0.1', () => {
  console.log('LISTENING ' + server.address().port)
})
