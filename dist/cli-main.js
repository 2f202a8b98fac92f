import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 896:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("fs");

/***/ }),

/***/ 53:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:diagnostics_channel");

/***/ }),

/***/ 474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 24:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 455:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");

/***/ }),

/***/ 760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 75:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 193:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:string_decoder");

/***/ }),

/***/ 136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".cli.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
var __webpack_exports__ = {};

// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  i: () => (/* binding */ main)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(760);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(24);
;// CONCATENATED MODULE: external "node:util"
const external_node_util_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");
;// CONCATENATED MODULE: external "node:buffer"
const external_node_buffer_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:buffer");
;// CONCATENATED MODULE: ./node_modules/js-yaml/dist/js-yaml.mjs
function getDefaultExportFromCjs(x) {
  return x && x.__esModule && Object.prototype.hasOwnProperty.call(x, "default") ? x["default"] : x;
}
var jsYaml = {};
var loader = {};
var common = {};
var hasRequiredCommon;
function requireCommon() {
  if (hasRequiredCommon) return common;
  hasRequiredCommon = 1;
  function isNothing(subject) {
    return typeof subject === "undefined" || subject === null;
  }
  function isObject(subject) {
    return typeof subject === "object" && subject !== null;
  }
  function toArray(sequence) {
    if (Array.isArray(sequence)) return sequence;
    else if (isNothing(sequence)) return [];
    return [sequence];
  }
  function extend(target, source) {
    if (source) {
      const sourceKeys = Object.keys(source);
      for (let index = 0, length = sourceKeys.length; index < length; index += 1) {
        const key = sourceKeys[index];
        target[key] = source[key];
      }
    }
    return target;
  }
  function repeat(string, count) {
    let result = "";
    for (let cycle = 0; cycle < count; cycle += 1) {
      result += string;
    }
    return result;
  }
  function isNegativeZero(number) {
    return number === 0 && Number.NEGATIVE_INFINITY === 1 / number;
  }
  common.isNothing = isNothing;
  common.isObject = isObject;
  common.toArray = toArray;
  common.repeat = repeat;
  common.isNegativeZero = isNegativeZero;
  common.extend = extend;
  return common;
}
var exception;
var hasRequiredException;
function requireException() {
  if (hasRequiredException) return exception;
  hasRequiredException = 1;
  function formatError(exception2, compact) {
    let where = "";
    const message = exception2.reason || "(unknown reason)";
    if (!exception2.mark) return message;
    if (exception2.mark.name) {
      where += 'in "' + exception2.mark.name + '" ';
    }
    where += "(" + (exception2.mark.line + 1) + ":" + (exception2.mark.column + 1) + ")";
    if (!compact && exception2.mark.snippet) {
      where += "\n\n" + exception2.mark.snippet;
    }
    return message + " " + where;
  }
  function YAMLException2(reason, mark) {
    Error.call(this);
    this.name = "YAMLException";
    this.reason = reason;
    this.mark = mark;
    this.message = formatError(this, false);
    if (Error.captureStackTrace) {
      Error.captureStackTrace(this, this.constructor);
    } else {
      this.stack = new Error().stack || "";
    }
  }
  YAMLException2.prototype = Object.create(Error.prototype);
  YAMLException2.prototype.constructor = YAMLException2;
  YAMLException2.prototype.toString = function toString(compact) {
    return this.name + ": " + formatError(this, compact);
  };
  exception = YAMLException2;
  return exception;
}
var snippet;
var hasRequiredSnippet;
function requireSnippet() {
  if (hasRequiredSnippet) return snippet;
  hasRequiredSnippet = 1;
  const common2 = requireCommon();
  function getLine(buffer, lineStart, lineEnd, position, maxLineLength) {
    let head = "";
    let tail = "";
    const maxHalfLength = Math.floor(maxLineLength / 2) - 1;
    if (position - lineStart > maxHalfLength) {
      head = " ... ";
      lineStart = position - maxHalfLength + head.length;
    }
    if (lineEnd - position > maxHalfLength) {
      tail = " ...";
      lineEnd = position + maxHalfLength - tail.length;
    }
    return {
      str: head + buffer.slice(lineStart, lineEnd).replace(/\t/g, "→") + tail,
      pos: position - lineStart + head.length
      // relative position
    };
  }
  function padStart(string, max) {
    return common2.repeat(" ", max - string.length) + string;
  }
  function makeSnippet(mark, options) {
    options = Object.create(options || null);
    if (!mark.buffer) return null;
    if (!options.maxLength) options.maxLength = 79;
    if (typeof options.indent !== "number") options.indent = 1;
    if (typeof options.linesBefore !== "number") options.linesBefore = 3;
    if (typeof options.linesAfter !== "number") options.linesAfter = 2;
    const re = /\r?\n|\r|\0/g;
    const lineStarts = [0];
    const lineEnds = [];
    let match;
    let foundLineNo = -1;
    while (match = re.exec(mark.buffer)) {
      lineEnds.push(match.index);
      lineStarts.push(match.index + match[0].length);
      if (mark.position <= match.index && foundLineNo < 0) {
        foundLineNo = lineStarts.length - 2;
      }
    }
    if (foundLineNo < 0) foundLineNo = lineStarts.length - 1;
    let result = "";
    const lineNoLength = Math.min(mark.line + options.linesAfter, lineEnds.length).toString().length;
    const maxLineLength = options.maxLength - (options.indent + lineNoLength + 3);
    for (let i = 1; i <= options.linesBefore; i++) {
      if (foundLineNo - i < 0) break;
      const line2 = getLine(
        mark.buffer,
        lineStarts[foundLineNo - i],
        lineEnds[foundLineNo - i],
        mark.position - (lineStarts[foundLineNo] - lineStarts[foundLineNo - i]),
        maxLineLength
      );
      result = common2.repeat(" ", options.indent) + padStart((mark.line - i + 1).toString(), lineNoLength) + " | " + line2.str + "\n" + result;
    }
    const line = getLine(mark.buffer, lineStarts[foundLineNo], lineEnds[foundLineNo], mark.position, maxLineLength);
    result += common2.repeat(" ", options.indent) + padStart((mark.line + 1).toString(), lineNoLength) + " | " + line.str + "\n";
    result += common2.repeat("-", options.indent + lineNoLength + 3 + line.pos) + "^\n";
    for (let i = 1; i <= options.linesAfter; i++) {
      if (foundLineNo + i >= lineEnds.length) break;
      const line2 = getLine(
        mark.buffer,
        lineStarts[foundLineNo + i],
        lineEnds[foundLineNo + i],
        mark.position - (lineStarts[foundLineNo] - lineStarts[foundLineNo + i]),
        maxLineLength
      );
      result += common2.repeat(" ", options.indent) + padStart((mark.line + i + 1).toString(), lineNoLength) + " | " + line2.str + "\n";
    }
    return result.replace(/\n$/, "");
  }
  snippet = makeSnippet;
  return snippet;
}
var type;
var hasRequiredType;
function requireType() {
  if (hasRequiredType) return type;
  hasRequiredType = 1;
  const YAMLException2 = requireException();
  const TYPE_CONSTRUCTOR_OPTIONS = [
    "kind",
    "multi",
    "resolve",
    "construct",
    "instanceOf",
    "predicate",
    "represent",
    "representName",
    "defaultStyle",
    "styleAliases"
  ];
  const YAML_NODE_KINDS = [
    "scalar",
    "sequence",
    "mapping"
  ];
  function compileStyleAliases(map2) {
    const result = {};
    if (map2 !== null) {
      Object.keys(map2).forEach(function(style) {
        map2[style].forEach(function(alias) {
          result[String(alias)] = style;
        });
      });
    }
    return result;
  }
  function Type2(tag, options) {
    options = options || {};
    Object.keys(options).forEach(function(name) {
      if (TYPE_CONSTRUCTOR_OPTIONS.indexOf(name) === -1) {
        throw new YAMLException2('Unknown option "' + name + '" is met in definition of "' + tag + '" YAML type.');
      }
    });
    this.options = options;
    this.tag = tag;
    this.kind = options["kind"] || null;
    this.resolve = options["resolve"] || function() {
      return true;
    };
    this.construct = options["construct"] || function(data) {
      return data;
    };
    this.instanceOf = options["instanceOf"] || null;
    this.predicate = options["predicate"] || null;
    this.represent = options["represent"] || null;
    this.representName = options["representName"] || null;
    this.defaultStyle = options["defaultStyle"] || null;
    this.multi = options["multi"] || false;
    this.styleAliases = compileStyleAliases(options["styleAliases"] || null);
    if (YAML_NODE_KINDS.indexOf(this.kind) === -1) {
      throw new YAMLException2('Unknown kind "' + this.kind + '" is specified for "' + tag + '" YAML type.');
    }
  }
  type = Type2;
  return type;
}
var schema;
var hasRequiredSchema;
function requireSchema() {
  if (hasRequiredSchema) return schema;
  hasRequiredSchema = 1;
  const YAMLException2 = requireException();
  const Type2 = requireType();
  function compileList(schema2, name) {
    const result = [];
    schema2[name].forEach(function(currentType) {
      let newIndex = result.length;
      result.forEach(function(previousType, previousIndex) {
        if (previousType.tag === currentType.tag && previousType.kind === currentType.kind && previousType.multi === currentType.multi) {
          newIndex = previousIndex;
        }
      });
      result[newIndex] = currentType;
    });
    return result;
  }
  function compileMap() {
    const result = {
      scalar: {},
      sequence: {},
      mapping: {},
      fallback: {},
      multi: {
        scalar: [],
        sequence: [],
        mapping: [],
        fallback: []
      }
    };
    function collectType(type2) {
      if (type2.multi) {
        result.multi[type2.kind].push(type2);
        result.multi["fallback"].push(type2);
      } else {
        result[type2.kind][type2.tag] = result["fallback"][type2.tag] = type2;
      }
    }
    for (let index = 0, length = arguments.length; index < length; index += 1) {
      arguments[index].forEach(collectType);
    }
    return result;
  }
  function Schema2(definition) {
    return this.extend(definition);
  }
  Schema2.prototype.extend = function extend(definition) {
    let implicit = [];
    let explicit = [];
    if (definition instanceof Type2) {
      explicit.push(definition);
    } else if (Array.isArray(definition)) {
      explicit = explicit.concat(definition);
    } else if (definition && (Array.isArray(definition.implicit) || Array.isArray(definition.explicit))) {
      if (definition.implicit) implicit = implicit.concat(definition.implicit);
      if (definition.explicit) explicit = explicit.concat(definition.explicit);
    } else {
      throw new YAMLException2("Schema.extend argument should be a Type, [ Type ], or a schema definition ({ implicit: [...], explicit: [...] })");
    }
    implicit.forEach(function(type2) {
      if (!(type2 instanceof Type2)) {
        throw new YAMLException2("Specified list of YAML types (or a single Type object) contains a non-Type object.");
      }
      if (type2.loadKind && type2.loadKind !== "scalar") {
        throw new YAMLException2("There is a non-scalar type in the implicit list of a schema. Implicit resolving of such types is not supported.");
      }
      if (type2.multi) {
        throw new YAMLException2("There is a multi type in the implicit list of a schema. Multi tags can only be listed as explicit.");
      }
    });
    explicit.forEach(function(type2) {
      if (!(type2 instanceof Type2)) {
        throw new YAMLException2("Specified list of YAML types (or a single Type object) contains a non-Type object.");
      }
    });
    const result = Object.create(Schema2.prototype);
    result.implicit = (this.implicit || []).concat(implicit);
    result.explicit = (this.explicit || []).concat(explicit);
    result.compiledImplicit = compileList(result, "implicit");
    result.compiledExplicit = compileList(result, "explicit");
    result.compiledTypeMap = compileMap(result.compiledImplicit, result.compiledExplicit);
    return result;
  };
  schema = Schema2;
  return schema;
}
var str;
var hasRequiredStr;
function requireStr() {
  if (hasRequiredStr) return str;
  hasRequiredStr = 1;
  const Type2 = requireType();
  str = new Type2("tag:yaml.org,2002:str", {
    kind: "scalar",
    construct: function(data) {
      return data !== null ? data : "";
    }
  });
  return str;
}
var seq;
var hasRequiredSeq;
function requireSeq() {
  if (hasRequiredSeq) return seq;
  hasRequiredSeq = 1;
  const Type2 = requireType();
  seq = new Type2("tag:yaml.org,2002:seq", {
    kind: "sequence",
    construct: function(data) {
      return data !== null ? data : [];
    }
  });
  return seq;
}
var map;
var hasRequiredMap;
function requireMap() {
  if (hasRequiredMap) return map;
  hasRequiredMap = 1;
  const Type2 = requireType();
  map = new Type2("tag:yaml.org,2002:map", {
    kind: "mapping",
    construct: function(data) {
      return data !== null ? data : {};
    }
  });
  return map;
}
var failsafe;
var hasRequiredFailsafe;
function requireFailsafe() {
  if (hasRequiredFailsafe) return failsafe;
  hasRequiredFailsafe = 1;
  const Schema2 = requireSchema();
  failsafe = new Schema2({
    explicit: [
      requireStr(),
      requireSeq(),
      requireMap()
    ]
  });
  return failsafe;
}
var _null;
var hasRequired_null;
function require_null() {
  if (hasRequired_null) return _null;
  hasRequired_null = 1;
  const Type2 = requireType();
  function resolveYamlNull(data) {
    if (data === null) return true;
    const max = data.length;
    return max === 1 && data === "~" || max === 4 && (data === "null" || data === "Null" || data === "NULL");
  }
  function constructYamlNull() {
    return null;
  }
  function isNull(object) {
    return object === null;
  }
  _null = new Type2("tag:yaml.org,2002:null", {
    kind: "scalar",
    resolve: resolveYamlNull,
    construct: constructYamlNull,
    predicate: isNull,
    represent: {
      canonical: function() {
        return "~";
      },
      lowercase: function() {
        return "null";
      },
      uppercase: function() {
        return "NULL";
      },
      camelcase: function() {
        return "Null";
      },
      empty: function() {
        return "";
      }
    },
    defaultStyle: "lowercase"
  });
  return _null;
}
var bool;
var hasRequiredBool;
function requireBool() {
  if (hasRequiredBool) return bool;
  hasRequiredBool = 1;
  const Type2 = requireType();
  function resolveYamlBoolean(data) {
    if (data === null) return false;
    const max = data.length;
    return max === 4 && (data === "true" || data === "True" || data === "TRUE") || max === 5 && (data === "false" || data === "False" || data === "FALSE");
  }
  function constructYamlBoolean(data) {
    return data === "true" || data === "True" || data === "TRUE";
  }
  function isBoolean(object) {
    return Object.prototype.toString.call(object) === "[object Boolean]";
  }
  bool = new Type2("tag:yaml.org,2002:bool", {
    kind: "scalar",
    resolve: resolveYamlBoolean,
    construct: constructYamlBoolean,
    predicate: isBoolean,
    represent: {
      lowercase: function(object) {
        return object ? "true" : "false";
      },
      uppercase: function(object) {
        return object ? "TRUE" : "FALSE";
      },
      camelcase: function(object) {
        return object ? "True" : "False";
      }
    },
    defaultStyle: "lowercase"
  });
  return bool;
}
var js_yaml_int;
var hasRequiredInt;
function requireInt() {
  if (hasRequiredInt) return js_yaml_int;
  hasRequiredInt = 1;
  const common2 = requireCommon();
  const Type2 = requireType();
  function isHexCode(c) {
    return c >= 48 && c <= 57 || c >= 65 && c <= 70 || c >= 97 && c <= 102;
  }
  function isOctCode(c) {
    return c >= 48 && c <= 55;
  }
  function isDecCode(c) {
    return c >= 48 && c <= 57;
  }
  function resolveYamlInteger(data) {
    if (data === null) return false;
    const max = data.length;
    let index = 0;
    let hasDigits = false;
    if (!max) return false;
    let ch = data[index];
    if (ch === "-" || ch === "+") {
      ch = data[++index];
    }
    if (ch === "0") {
      if (index + 1 === max) return true;
      ch = data[++index];
      if (ch === "b") {
        index++;
        for (; index < max; index++) {
          ch = data[index];
          if (ch !== "0" && ch !== "1") return false;
          hasDigits = true;
        }
        return hasDigits && isFinite(parseYamlInteger(data));
      }
      if (ch === "x") {
        index++;
        for (; index < max; index++) {
          if (!isHexCode(data.charCodeAt(index))) return false;
          hasDigits = true;
        }
        return hasDigits && isFinite(parseYamlInteger(data));
      }
      if (ch === "o") {
        index++;
        for (; index < max; index++) {
          if (!isOctCode(data.charCodeAt(index))) return false;
          hasDigits = true;
        }
        return hasDigits && isFinite(parseYamlInteger(data));
      }
    }
    for (; index < max; index++) {
      if (!isDecCode(data.charCodeAt(index))) {
        return false;
      }
      hasDigits = true;
    }
    if (!hasDigits) return false;
    return isFinite(parseYamlInteger(data));
  }
  function parseYamlInteger(data) {
    let value = data;
    let sign = 1;
    let ch = value[0];
    if (ch === "-" || ch === "+") {
      if (ch === "-") sign = -1;
      value = value.slice(1);
      ch = value[0];
    }
    if (value === "0") return 0;
    if (ch === "0") {
      if (value[1] === "b") return sign * parseInt(value.slice(2), 2);
      if (value[1] === "x") return sign * parseInt(value.slice(2), 16);
      if (value[1] === "o") return sign * parseInt(value.slice(2), 8);
    }
    return sign * parseInt(value, 10);
  }
  function constructYamlInteger(data) {
    return parseYamlInteger(data);
  }
  function isInteger(object) {
    return Object.prototype.toString.call(object) === "[object Number]" && (object % 1 === 0 && !common2.isNegativeZero(object));
  }
  js_yaml_int = new Type2("tag:yaml.org,2002:int", {
    kind: "scalar",
    resolve: resolveYamlInteger,
    construct: constructYamlInteger,
    predicate: isInteger,
    represent: {
      binary: function(obj) {
        return obj >= 0 ? "0b" + obj.toString(2) : "-0b" + obj.toString(2).slice(1);
      },
      octal: function(obj) {
        return obj >= 0 ? "0o" + obj.toString(8) : "-0o" + obj.toString(8).slice(1);
      },
      decimal: function(obj) {
        return obj.toString(10);
      },
      hexadecimal: function(obj) {
        return obj >= 0 ? "0x" + obj.toString(16).toUpperCase() : "-0x" + obj.toString(16).toUpperCase().slice(1);
      }
    },
    defaultStyle: "decimal",
    styleAliases: {
      binary: [2, "bin"],
      octal: [8, "oct"],
      decimal: [10, "dec"],
      hexadecimal: [16, "hex"]
    }
  });
  return js_yaml_int;
}
var js_yaml_float;
var hasRequiredFloat;
function requireFloat() {
  if (hasRequiredFloat) return js_yaml_float;
  hasRequiredFloat = 1;
  const common2 = requireCommon();
  const Type2 = requireType();
  const YAML_FLOAT_PATTERN = new RegExp(
    // 2.5e4, 2.5 and integers
    "^(?:[-+]?(?:[0-9]+)(?:\\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\\.[0-9]+(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$"
  );
  const YAML_FLOAT_SPECIAL_PATTERN = new RegExp(
    "^(?:[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$"
  );
  function resolveYamlFloat(data) {
    if (data === null) return false;
    if (!YAML_FLOAT_PATTERN.test(data)) {
      return false;
    }
    if (isFinite(parseFloat(data, 10))) {
      return true;
    }
    return YAML_FLOAT_SPECIAL_PATTERN.test(data);
  }
  function constructYamlFloat(data) {
    let value = data.toLowerCase();
    const sign = value[0] === "-" ? -1 : 1;
    if ("+-".indexOf(value[0]) >= 0) {
      value = value.slice(1);
    }
    if (value === ".inf") {
      return sign === 1 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    } else if (value === ".nan") {
      return NaN;
    }
    return sign * parseFloat(value, 10);
  }
  const SCIENTIFIC_WITHOUT_DOT = /^[-+]?[0-9]+e/;
  function representYamlFloat(object, style) {
    if (isNaN(object)) {
      switch (style) {
        case "lowercase":
          return ".nan";
        case "uppercase":
          return ".NAN";
        case "camelcase":
          return ".NaN";
      }
    } else if (Number.POSITIVE_INFINITY === object) {
      switch (style) {
        case "lowercase":
          return ".inf";
        case "uppercase":
          return ".INF";
        case "camelcase":
          return ".Inf";
      }
    } else if (Number.NEGATIVE_INFINITY === object) {
      switch (style) {
        case "lowercase":
          return "-.inf";
        case "uppercase":
          return "-.INF";
        case "camelcase":
          return "-.Inf";
      }
    } else if (common2.isNegativeZero(object)) {
      return "-0.0";
    }
    const res = object.toString(10);
    return SCIENTIFIC_WITHOUT_DOT.test(res) ? res.replace("e", ".e") : res;
  }
  function isFloat(object) {
    return Object.prototype.toString.call(object) === "[object Number]" && (object % 1 !== 0 || common2.isNegativeZero(object));
  }
  js_yaml_float = new Type2("tag:yaml.org,2002:float", {
    kind: "scalar",
    resolve: resolveYamlFloat,
    construct: constructYamlFloat,
    predicate: isFloat,
    represent: representYamlFloat,
    defaultStyle: "lowercase"
  });
  return js_yaml_float;
}
var json;
var hasRequiredJson;
function requireJson() {
  if (hasRequiredJson) return json;
  hasRequiredJson = 1;
  json = requireFailsafe().extend({
    implicit: [
      require_null(),
      requireBool(),
      requireInt(),
      requireFloat()
    ]
  });
  return json;
}
var core;
var hasRequiredCore;
function requireCore() {
  if (hasRequiredCore) return core;
  hasRequiredCore = 1;
  core = requireJson();
  return core;
}
var timestamp;
var hasRequiredTimestamp;
function requireTimestamp() {
  if (hasRequiredTimestamp) return timestamp;
  hasRequiredTimestamp = 1;
  const Type2 = requireType();
  const YAML_DATE_REGEXP = new RegExp(
    "^([0-9][0-9][0-9][0-9])-([0-9][0-9])-([0-9][0-9])$"
  );
  const YAML_TIMESTAMP_REGEXP = new RegExp(
    "^([0-9][0-9][0-9][0-9])-([0-9][0-9]?)-([0-9][0-9]?)(?:[Tt]|[ \\t]+)([0-9][0-9]?):([0-9][0-9]):([0-9][0-9])(?:\\.([0-9]*))?(?:[ \\t]*(Z|([-+])([0-9][0-9]?)(?::([0-9][0-9]))?))?$"
  );
  function resolveYamlTimestamp(data) {
    if (data === null) return false;
    if (YAML_DATE_REGEXP.exec(data) !== null) return true;
    if (YAML_TIMESTAMP_REGEXP.exec(data) !== null) return true;
    return false;
  }
  function constructYamlTimestamp(data) {
    let fraction = 0;
    let delta = null;
    let match = YAML_DATE_REGEXP.exec(data);
    if (match === null) match = YAML_TIMESTAMP_REGEXP.exec(data);
    if (match === null) throw new Error("Date resolve error");
    const year = +match[1];
    const month = +match[2] - 1;
    const day = +match[3];
    if (!match[4]) {
      return new Date(Date.UTC(year, month, day));
    }
    const hour = +match[4];
    const minute = +match[5];
    const second = +match[6];
    if (match[7]) {
      fraction = match[7].slice(0, 3);
      while (fraction.length < 3) {
        fraction += "0";
      }
      fraction = +fraction;
    }
    if (match[9]) {
      const tzHour = +match[10];
      const tzMinute = +(match[11] || 0);
      delta = (tzHour * 60 + tzMinute) * 6e4;
      if (match[9] === "-") delta = -delta;
    }
    const date = new Date(Date.UTC(year, month, day, hour, minute, second, fraction));
    if (delta) date.setTime(date.getTime() - delta);
    return date;
  }
  function representYamlTimestamp(object) {
    return object.toISOString();
  }
  timestamp = new Type2("tag:yaml.org,2002:timestamp", {
    kind: "scalar",
    resolve: resolveYamlTimestamp,
    construct: constructYamlTimestamp,
    instanceOf: Date,
    represent: representYamlTimestamp
  });
  return timestamp;
}
var merge;
var hasRequiredMerge;
function requireMerge() {
  if (hasRequiredMerge) return merge;
  hasRequiredMerge = 1;
  const Type2 = requireType();
  function resolveYamlMerge(data) {
    return data === "<<" || data === null;
  }
  merge = new Type2("tag:yaml.org,2002:merge", {
    kind: "scalar",
    resolve: resolveYamlMerge
  });
  return merge;
}
var binary;
var hasRequiredBinary;
function requireBinary() {
  if (hasRequiredBinary) return binary;
  hasRequiredBinary = 1;
  const Type2 = requireType();
  const BASE64_MAP = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\n\r";
  function resolveYamlBinary(data) {
    if (data === null) return false;
    let bitlen = 0;
    const max = data.length;
    const map2 = BASE64_MAP;
    for (let idx = 0; idx < max; idx++) {
      const code = map2.indexOf(data.charAt(idx));
      if (code > 64) continue;
      if (code < 0) return false;
      bitlen += 6;
    }
    return bitlen % 8 === 0;
  }
  function constructYamlBinary(data) {
    const input = data.replace(/[\r\n=]/g, "");
    const max = input.length;
    const map2 = BASE64_MAP;
    let bits = 0;
    const result = [];
    for (let idx = 0; idx < max; idx++) {
      if (idx % 4 === 0 && idx) {
        result.push(bits >> 16 & 255);
        result.push(bits >> 8 & 255);
        result.push(bits & 255);
      }
      bits = bits << 6 | map2.indexOf(input.charAt(idx));
    }
    const tailbits = max % 4 * 6;
    if (tailbits === 0) {
      result.push(bits >> 16 & 255);
      result.push(bits >> 8 & 255);
      result.push(bits & 255);
    } else if (tailbits === 18) {
      result.push(bits >> 10 & 255);
      result.push(bits >> 2 & 255);
    } else if (tailbits === 12) {
      result.push(bits >> 4 & 255);
    }
    return new Uint8Array(result);
  }
  function representYamlBinary(object) {
    let result = "";
    let bits = 0;
    const max = object.length;
    const map2 = BASE64_MAP;
    for (let idx = 0; idx < max; idx++) {
      if (idx % 3 === 0 && idx) {
        result += map2[bits >> 18 & 63];
        result += map2[bits >> 12 & 63];
        result += map2[bits >> 6 & 63];
        result += map2[bits & 63];
      }
      bits = (bits << 8) + object[idx];
    }
    const tail = max % 3;
    if (tail === 0) {
      result += map2[bits >> 18 & 63];
      result += map2[bits >> 12 & 63];
      result += map2[bits >> 6 & 63];
      result += map2[bits & 63];
    } else if (tail === 2) {
      result += map2[bits >> 10 & 63];
      result += map2[bits >> 4 & 63];
      result += map2[bits << 2 & 63];
      result += map2[64];
    } else if (tail === 1) {
      result += map2[bits >> 2 & 63];
      result += map2[bits << 4 & 63];
      result += map2[64];
      result += map2[64];
    }
    return result;
  }
  function isBinary(obj) {
    return Object.prototype.toString.call(obj) === "[object Uint8Array]";
  }
  binary = new Type2("tag:yaml.org,2002:binary", {
    kind: "scalar",
    resolve: resolveYamlBinary,
    construct: constructYamlBinary,
    predicate: isBinary,
    represent: representYamlBinary
  });
  return binary;
}
var omap;
var hasRequiredOmap;
function requireOmap() {
  if (hasRequiredOmap) return omap;
  hasRequiredOmap = 1;
  const Type2 = requireType();
  const _hasOwnProperty = Object.prototype.hasOwnProperty;
  const _toString = Object.prototype.toString;
  function resolveYamlOmap(data) {
    if (data === null) return true;
    const objectKeys = {};
    const object = data;
    for (let index = 0, length = object.length; index < length; index += 1) {
      const pair = object[index];
      let pairHasKey = false;
      if (_toString.call(pair) !== "[object Object]") return false;
      let pairKey;
      for (pairKey in pair) {
        if (_hasOwnProperty.call(pair, pairKey)) {
          if (!pairHasKey) pairHasKey = true;
          else return false;
        }
      }
      if (!pairHasKey) return false;
      if (_hasOwnProperty.call(objectKeys, pairKey)) return false;
      Object.defineProperty(objectKeys, pairKey, { value: true });
    }
    return true;
  }
  function constructYamlOmap(data) {
    return data !== null ? data : [];
  }
  omap = new Type2("tag:yaml.org,2002:omap", {
    kind: "sequence",
    resolve: resolveYamlOmap,
    construct: constructYamlOmap
  });
  return omap;
}
var pairs;
var hasRequiredPairs;
function requirePairs() {
  if (hasRequiredPairs) return pairs;
  hasRequiredPairs = 1;
  const Type2 = requireType();
  const _toString = Object.prototype.toString;
  function resolveYamlPairs(data) {
    if (data === null) return true;
    const object = data;
    const result = new Array(object.length);
    for (let index = 0, length = object.length; index < length; index += 1) {
      const pair = object[index];
      if (_toString.call(pair) !== "[object Object]") return false;
      const keys = Object.keys(pair);
      if (keys.length !== 1) return false;
      result[index] = [keys[0], pair[keys[0]]];
    }
    return true;
  }
  function constructYamlPairs(data) {
    if (data === null) return [];
    const object = data;
    const result = new Array(object.length);
    for (let index = 0, length = object.length; index < length; index += 1) {
      const pair = object[index];
      const keys = Object.keys(pair);
      result[index] = [keys[0], pair[keys[0]]];
    }
    return result;
  }
  pairs = new Type2("tag:yaml.org,2002:pairs", {
    kind: "sequence",
    resolve: resolveYamlPairs,
    construct: constructYamlPairs
  });
  return pairs;
}
var set;
var hasRequiredSet;
function requireSet() {
  if (hasRequiredSet) return set;
  hasRequiredSet = 1;
  const Type2 = requireType();
  const _hasOwnProperty = Object.prototype.hasOwnProperty;
  function resolveYamlSet(data) {
    if (data === null) return true;
    const object = data;
    for (const key in object) {
      if (_hasOwnProperty.call(object, key)) {
        if (object[key] !== null) return false;
      }
    }
    return true;
  }
  function constructYamlSet(data) {
    return data !== null ? data : {};
  }
  set = new Type2("tag:yaml.org,2002:set", {
    kind: "mapping",
    resolve: resolveYamlSet,
    construct: constructYamlSet
  });
  return set;
}
var _default;
var hasRequired_default;
function require_default() {
  if (hasRequired_default) return _default;
  hasRequired_default = 1;
  _default = requireCore().extend({
    implicit: [
      requireTimestamp(),
      requireMerge()
    ],
    explicit: [
      requireBinary(),
      requireOmap(),
      requirePairs(),
      requireSet()
    ]
  });
  return _default;
}
var hasRequiredLoader;
function requireLoader() {
  if (hasRequiredLoader) return loader;
  hasRequiredLoader = 1;
  const common2 = requireCommon();
  const YAMLException2 = requireException();
  const makeSnippet = requireSnippet();
  const DEFAULT_SCHEMA2 = require_default();
  const _hasOwnProperty = Object.prototype.hasOwnProperty;
  const CONTEXT_FLOW_IN = 1;
  const CONTEXT_FLOW_OUT = 2;
  const CONTEXT_BLOCK_IN = 3;
  const CONTEXT_BLOCK_OUT = 4;
  const CHOMPING_CLIP = 1;
  const CHOMPING_STRIP = 2;
  const CHOMPING_KEEP = 3;
  const PATTERN_NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
  const PATTERN_NON_ASCII_LINE_BREAKS = /[\x85\u2028\u2029]/;
  const PATTERN_FLOW_INDICATORS = /[,\[\]{}]/;
  const PATTERN_TAG_HANDLE = /^(?:!|!!|![0-9A-Za-z-]+!)$/;
  const PATTERN_TAG_URI = /^(?:!|[^,\[\]{}])(?:%[0-9a-f]{2}|[0-9a-z\-#;/?:@&=+$,_.!~*'()\[\]])*$/i;
  function _class(obj) {
    return Object.prototype.toString.call(obj);
  }
  function isEol(c) {
    return c === 10 || c === 13;
  }
  function isWhiteSpace(c) {
    return c === 9 || c === 32;
  }
  function isWsOrEol(c) {
    return c === 9 || c === 32 || c === 10 || c === 13;
  }
  function isFlowIndicator(c) {
    return c === 44 || c === 91 || c === 93 || c === 123 || c === 125;
  }
  function fromHexCode(c) {
    if (c >= 48 && c <= 57) {
      return c - 48;
    }
    const lc = c | 32;
    if (lc >= 97 && lc <= 102) {
      return lc - 97 + 10;
    }
    return -1;
  }
  function escapedHexLen(c) {
    if (c === 120) {
      return 2;
    }
    if (c === 117) {
      return 4;
    }
    if (c === 85) {
      return 8;
    }
    return 0;
  }
  function fromDecimalCode(c) {
    if (c >= 48 && c <= 57) {
      return c - 48;
    }
    return -1;
  }
  function simpleEscapeSequence(c) {
    switch (c) {
      case 48:
        return "\0";
      case 97:
        return "\x07";
      case 98:
        return "\b";
      case 116:
        return "	";
      case 9:
        return "	";
      case 110:
        return "\n";
      case 118:
        return "\v";
      case 102:
        return "\f";
      case 114:
        return "\r";
      case 101:
        return "\x1B";
      case 32:
        return " ";
      case 34:
        return '"';
      case 47:
        return "/";
      case 92:
        return "\\";
      case 78:
        return "";
      case 95:
        return " ";
      case 76:
        return "\u2028";
      case 80:
        return "\u2029";
      default:
        return "";
    }
  }
  function charFromCodepoint(c) {
    if (c <= 65535) {
      return String.fromCharCode(c);
    }
    return String.fromCharCode(
      (c - 65536 >> 10) + 55296,
      (c - 65536 & 1023) + 56320
    );
  }
  function setProperty(object, key, value) {
    if (key === "__proto__") {
      Object.defineProperty(object, key, {
        configurable: true,
        enumerable: true,
        writable: true,
        value
      });
    } else {
      object[key] = value;
    }
  }
  const simpleEscapeCheck = new Array(256);
  const simpleEscapeMap = new Array(256);
  for (let i = 0; i < 256; i++) {
    simpleEscapeCheck[i] = simpleEscapeSequence(i) ? 1 : 0;
    simpleEscapeMap[i] = simpleEscapeSequence(i);
  }
  function State(input, options) {
    this.input = input;
    this.filename = options["filename"] || null;
    this.schema = options["schema"] || DEFAULT_SCHEMA2;
    this.onWarning = options["onWarning"] || null;
    this.legacy = options["legacy"] || false;
    this.json = options["json"] || false;
    this.listener = options["listener"] || null;
    this.maxDepth = typeof options["maxDepth"] === "number" ? options["maxDepth"] : 100;
    this.maxTotalMergeKeys = typeof options["maxTotalMergeKeys"] === "number" ? options["maxTotalMergeKeys"] : 1e4;
    this.implicitTypes = this.schema.compiledImplicit;
    this.typeMap = this.schema.compiledTypeMap;
    this.length = input.length;
    this.position = 0;
    this.line = 0;
    this.lineStart = 0;
    this.lineIndent = 0;
    this.depth = 0;
    this.totalMergeKeys = 0;
    this.firstTabInLine = -1;
    this.documents = [];
    this.anchorMapTransactions = [];
  }
  function generateError(state, message) {
    const mark = {
      name: state.filename,
      buffer: state.input.slice(0, -1),
      // omit trailing \0
      position: state.position,
      line: state.line,
      column: state.position - state.lineStart
    };
    mark.snippet = makeSnippet(mark);
    return new YAMLException2(message, mark);
  }
  function throwError(state, message) {
    throw generateError(state, message);
  }
  function throwWarning(state, message) {
    if (state.onWarning) {
      state.onWarning.call(null, generateError(state, message));
    }
  }
  function storeAnchor(state, name, value) {
    const transactions = state.anchorMapTransactions;
    if (transactions.length !== 0) {
      const transaction = transactions[transactions.length - 1];
      if (!_hasOwnProperty.call(transaction, name)) {
        transaction[name] = {
          existed: _hasOwnProperty.call(state.anchorMap, name),
          value: state.anchorMap[name]
        };
      }
    }
    state.anchorMap[name] = value;
  }
  function beginAnchorTransaction(state) {
    state.anchorMapTransactions.push(/* @__PURE__ */ Object.create(null));
  }
  function commitAnchorTransaction(state) {
    const transaction = state.anchorMapTransactions.pop();
    const transactions = state.anchorMapTransactions;
    if (transactions.length === 0) return;
    const parent = transactions[transactions.length - 1];
    const names = Object.keys(transaction);
    for (let index = 0, length = names.length; index < length; index += 1) {
      const name = names[index];
      if (!_hasOwnProperty.call(parent, name)) {
        parent[name] = transaction[name];
      }
    }
  }
  function rollbackAnchorTransaction(state) {
    const transaction = state.anchorMapTransactions.pop();
    const names = Object.keys(transaction);
    for (let index = names.length - 1; index >= 0; index -= 1) {
      const entry = transaction[names[index]];
      if (entry.existed) {
        state.anchorMap[names[index]] = entry.value;
      } else {
        delete state.anchorMap[names[index]];
      }
    }
  }
  function snapshotState(state) {
    return {
      position: state.position,
      line: state.line,
      lineStart: state.lineStart,
      lineIndent: state.lineIndent,
      firstTabInLine: state.firstTabInLine,
      tag: state.tag,
      anchor: state.anchor,
      kind: state.kind,
      result: state.result
    };
  }
  function restoreState(state, snapshot) {
    state.position = snapshot.position;
    state.line = snapshot.line;
    state.lineStart = snapshot.lineStart;
    state.lineIndent = snapshot.lineIndent;
    state.firstTabInLine = snapshot.firstTabInLine;
    state.tag = snapshot.tag;
    state.anchor = snapshot.anchor;
    state.kind = snapshot.kind;
    state.result = snapshot.result;
  }
  const directiveHandlers = {
    YAML: function handleYamlDirective(state, name, args) {
      if (state.version !== null) {
        throwError(state, "duplication of %YAML directive");
      }
      if (args.length !== 1) {
        throwError(state, "YAML directive accepts exactly one argument");
      }
      const match = /^([0-9]+)\.([0-9]+)$/.exec(args[0]);
      if (match === null) {
        throwError(state, "ill-formed argument of the YAML directive");
      }
      const major = parseInt(match[1], 10);
      const minor = parseInt(match[2], 10);
      if (major !== 1) {
        throwError(state, "unacceptable YAML version of the document");
      }
      state.version = args[0];
      state.checkLineBreaks = minor < 2;
      if (minor !== 1 && minor !== 2) {
        throwWarning(state, "unsupported YAML version of the document");
      }
    },
    TAG: function handleTagDirective(state, name, args) {
      let prefix;
      if (args.length !== 2) {
        throwError(state, "TAG directive accepts exactly two arguments");
      }
      const handle = args[0];
      prefix = args[1];
      if (!PATTERN_TAG_HANDLE.test(handle)) {
        throwError(state, "ill-formed tag handle (first argument) of the TAG directive");
      }
      if (_hasOwnProperty.call(state.tagMap, handle)) {
        throwError(state, 'there is a previously declared suffix for "' + handle + '" tag handle');
      }
      if (!PATTERN_TAG_URI.test(prefix)) {
        throwError(state, "ill-formed tag prefix (second argument) of the TAG directive");
      }
      try {
        prefix = decodeURIComponent(prefix);
      } catch (err) {
        throwError(state, "tag prefix is malformed: " + prefix);
      }
      state.tagMap[handle] = prefix;
    }
  };
  function captureSegment(state, start, end, checkJson) {
    if (start < end) {
      const _result = state.input.slice(start, end);
      if (checkJson) {
        for (let _position = 0, _length = _result.length; _position < _length; _position += 1) {
          const _character = _result.charCodeAt(_position);
          if (!(_character === 9 || _character >= 32 && _character <= 1114111)) {
            throwError(state, "expected valid JSON character");
          }
        }
      } else if (PATTERN_NON_PRINTABLE.test(_result)) {
        throwError(state, "the stream contains non-printable characters");
      }
      state.result += _result;
    }
  }
  function chargeMergeWork(state) {
    state.totalMergeKeys++;
    if (state.maxTotalMergeKeys !== -1 && state.totalMergeKeys > state.maxTotalMergeKeys) {
      throwError(state, "merge keys exceeded maxTotalMergeKeys (" + state.maxTotalMergeKeys + ")");
    }
  }
  function mergeMappings(state, destination, source, overridableKeys) {
    if (!common2.isObject(source)) {
      throwError(state, "cannot merge mappings; the provided source object is unacceptable");
    }
    chargeMergeWork(state);
    const sourceKeys = Object.keys(source);
    for (let index = 0, quantity = sourceKeys.length; index < quantity; index += 1) {
      const key = sourceKeys[index];
      chargeMergeWork(state);
      if (!_hasOwnProperty.call(destination, key)) {
        setProperty(destination, key, source[key]);
        overridableKeys[key] = true;
      }
    }
  }
  function storeMappingPair(state, _result, overridableKeys, keyTag, keyNode, valueNode, startLine, startLineStart, startPos) {
    if (Array.isArray(keyNode)) {
      keyNode = Array.prototype.slice.call(keyNode);
      for (let index = 0, quantity = keyNode.length; index < quantity; index += 1) {
        if (Array.isArray(keyNode[index])) {
          throwError(state, "nested arrays are not supported inside keys");
        }
        if (typeof keyNode === "object" && _class(keyNode[index]) === "[object Object]") {
          keyNode[index] = "[object Object]";
        }
      }
    }
    if (typeof keyNode === "object" && _class(keyNode) === "[object Object]") {
      keyNode = "[object Object]";
    }
    keyNode = String(keyNode);
    if (_result === null) {
      _result = {};
    }
    if (keyTag === "tag:yaml.org,2002:merge") {
      if (Array.isArray(valueNode)) {
        if (valueNode.length > 100) {
          throwError(state, "abnormal merge sequence size");
        }
        for (let index = 0, quantity = valueNode.length; index < quantity; index += 1) {
          mergeMappings(state, _result, valueNode[index], overridableKeys);
        }
      } else {
        mergeMappings(state, _result, valueNode, overridableKeys);
      }
    } else {
      if (!state.json && !_hasOwnProperty.call(overridableKeys, keyNode) && _hasOwnProperty.call(_result, keyNode)) {
        state.line = startLine || state.line;
        state.lineStart = startLineStart || state.lineStart;
        state.position = startPos || state.position;
        throwError(state, "duplicated mapping key");
      }
      setProperty(_result, keyNode, valueNode);
      delete overridableKeys[keyNode];
    }
    return _result;
  }
  function readLineBreak(state) {
    const ch = state.input.charCodeAt(state.position);
    if (ch === 10) {
      state.position++;
    } else if (ch === 13) {
      state.position++;
      if (state.input.charCodeAt(state.position) === 10) {
        state.position++;
      }
    } else {
      throwError(state, "a line break is expected");
    }
    state.line += 1;
    state.lineStart = state.position;
    state.firstTabInLine = -1;
  }
  function skipSeparationSpace(state, allowComments, checkIndent) {
    let lineBreaks = 0;
    let ch = state.input.charCodeAt(state.position);
    while (ch !== 0) {
      while (isWhiteSpace(ch)) {
        if (ch === 9 && state.firstTabInLine === -1) {
          state.firstTabInLine = state.position;
        }
        ch = state.input.charCodeAt(++state.position);
      }
      if (allowComments && ch === 35) {
        do {
          ch = state.input.charCodeAt(++state.position);
        } while (ch !== 10 && ch !== 13 && ch !== 0);
      }
      if (isEol(ch)) {
        readLineBreak(state);
        ch = state.input.charCodeAt(state.position);
        lineBreaks++;
        state.lineIndent = 0;
        while (ch === 32) {
          state.lineIndent++;
          ch = state.input.charCodeAt(++state.position);
        }
      } else {
        break;
      }
    }
    if (checkIndent !== -1 && lineBreaks !== 0 && state.lineIndent < checkIndent) {
      throwWarning(state, "deficient indentation");
    }
    return lineBreaks;
  }
  function testDocumentSeparator(state) {
    let _position = state.position;
    let ch = state.input.charCodeAt(_position);
    if ((ch === 45 || ch === 46) && ch === state.input.charCodeAt(_position + 1) && ch === state.input.charCodeAt(_position + 2)) {
      _position += 3;
      ch = state.input.charCodeAt(_position);
      if (ch === 0 || isWsOrEol(ch)) {
        return true;
      }
    }
    return false;
  }
  function writeFoldedLines(state, count) {
    if (count === 1) {
      state.result += " ";
    } else if (count > 1) {
      state.result += common2.repeat("\n", count - 1);
    }
  }
  function readPlainScalar(state, nodeIndent, withinFlowCollection) {
    let captureStart;
    let captureEnd;
    let hasPendingContent;
    let _line;
    let _lineStart;
    let _lineIndent;
    const _kind = state.kind;
    const _result = state.result;
    let ch = state.input.charCodeAt(state.position);
    if (isWsOrEol(ch) || isFlowIndicator(ch) || ch === 35 || ch === 38 || ch === 42 || ch === 33 || ch === 124 || ch === 62 || ch === 39 || ch === 34 || ch === 37 || ch === 64 || ch === 96) {
      return false;
    }
    if (ch === 63 || ch === 45) {
      const following = state.input.charCodeAt(state.position + 1);
      if (isWsOrEol(following) || withinFlowCollection && isFlowIndicator(following)) {
        return false;
      }
    }
    state.kind = "scalar";
    state.result = "";
    captureStart = captureEnd = state.position;
    hasPendingContent = false;
    while (ch !== 0) {
      if (ch === 58) {
        const following = state.input.charCodeAt(state.position + 1);
        if (isWsOrEol(following) || withinFlowCollection && isFlowIndicator(following)) {
          break;
        }
      } else if (ch === 35) {
        const preceding = state.input.charCodeAt(state.position - 1);
        if (isWsOrEol(preceding)) {
          break;
        }
      } else if (state.position === state.lineStart && testDocumentSeparator(state) || withinFlowCollection && isFlowIndicator(ch)) {
        break;
      } else if (isEol(ch)) {
        _line = state.line;
        _lineStart = state.lineStart;
        _lineIndent = state.lineIndent;
        skipSeparationSpace(state, false, -1);
        if (state.lineIndent >= nodeIndent) {
          hasPendingContent = true;
          ch = state.input.charCodeAt(state.position);
          continue;
        } else {
          state.position = captureEnd;
          state.line = _line;
          state.lineStart = _lineStart;
          state.lineIndent = _lineIndent;
          break;
        }
      }
      if (hasPendingContent) {
        captureSegment(state, captureStart, captureEnd, false);
        writeFoldedLines(state, state.line - _line);
        captureStart = captureEnd = state.position;
        hasPendingContent = false;
      }
      if (!isWhiteSpace(ch)) {
        captureEnd = state.position + 1;
      }
      ch = state.input.charCodeAt(++state.position);
    }
    captureSegment(state, captureStart, captureEnd, false);
    if (state.result) {
      return true;
    }
    state.kind = _kind;
    state.result = _result;
    return false;
  }
  function readSingleQuotedScalar(state, nodeIndent) {
    let captureStart;
    let captureEnd;
    let ch = state.input.charCodeAt(state.position);
    if (ch !== 39) {
      return false;
    }
    state.kind = "scalar";
    state.result = "";
    state.position++;
    captureStart = captureEnd = state.position;
    while ((ch = state.input.charCodeAt(state.position)) !== 0) {
      if (ch === 39) {
        captureSegment(state, captureStart, state.position, true);
        ch = state.input.charCodeAt(++state.position);
        if (ch === 39) {
          captureStart = state.position;
          state.position++;
          captureEnd = state.position;
        } else {
          return true;
        }
      } else if (isEol(ch)) {
        captureSegment(state, captureStart, captureEnd, true);
        writeFoldedLines(state, skipSeparationSpace(state, false, nodeIndent));
        captureStart = captureEnd = state.position;
      } else if (state.position === state.lineStart && testDocumentSeparator(state)) {
        throwError(state, "unexpected end of the document within a single quoted scalar");
      } else {
        state.position++;
        if (!isWhiteSpace(ch)) {
          captureEnd = state.position;
        }
      }
    }
    throwError(state, "unexpected end of the stream within a single quoted scalar");
  }
  function readDoubleQuotedScalar(state, nodeIndent) {
    let captureStart;
    let captureEnd;
    let tmp;
    let ch = state.input.charCodeAt(state.position);
    if (ch !== 34) {
      return false;
    }
    state.kind = "scalar";
    state.result = "";
    state.position++;
    captureStart = captureEnd = state.position;
    while ((ch = state.input.charCodeAt(state.position)) !== 0) {
      if (ch === 34) {
        captureSegment(state, captureStart, state.position, true);
        state.position++;
        return true;
      } else if (ch === 92) {
        captureSegment(state, captureStart, state.position, true);
        ch = state.input.charCodeAt(++state.position);
        if (isEol(ch)) {
          skipSeparationSpace(state, false, nodeIndent);
        } else if (ch < 256 && simpleEscapeCheck[ch]) {
          state.result += simpleEscapeMap[ch];
          state.position++;
        } else if ((tmp = escapedHexLen(ch)) > 0) {
          let hexLength = tmp;
          let hexResult = 0;
          for (; hexLength > 0; hexLength--) {
            ch = state.input.charCodeAt(++state.position);
            if ((tmp = fromHexCode(ch)) >= 0) {
              hexResult = (hexResult << 4) + tmp;
            } else {
              throwError(state, "expected hexadecimal character");
            }
          }
          state.result += charFromCodepoint(hexResult);
          state.position++;
        } else {
          throwError(state, "unknown escape sequence");
        }
        captureStart = captureEnd = state.position;
      } else if (isEol(ch)) {
        captureSegment(state, captureStart, captureEnd, true);
        writeFoldedLines(state, skipSeparationSpace(state, false, nodeIndent));
        captureStart = captureEnd = state.position;
      } else if (state.position === state.lineStart && testDocumentSeparator(state)) {
        throwError(state, "unexpected end of the document within a double quoted scalar");
      } else {
        state.position++;
        if (!isWhiteSpace(ch)) {
          captureEnd = state.position;
        }
      }
    }
    throwError(state, "unexpected end of the stream within a double quoted scalar");
  }
  function readFlowCollection(state, nodeIndent) {
    let readNext = true;
    let _line;
    let _lineStart;
    let _pos;
    const _tag = state.tag;
    let _result;
    const _anchor = state.anchor;
    let terminator;
    let isPair;
    let isExplicitPair;
    let isMapping;
    const overridableKeys = /* @__PURE__ */ Object.create(null);
    let keyNode;
    let keyTag;
    let valueNode;
    let ch = state.input.charCodeAt(state.position);
    if (ch === 91) {
      terminator = 93;
      isMapping = false;
      _result = [];
    } else if (ch === 123) {
      terminator = 125;
      isMapping = true;
      _result = {};
    } else {
      return false;
    }
    if (state.anchor !== null) {
      storeAnchor(state, state.anchor, _result);
    }
    ch = state.input.charCodeAt(++state.position);
    while (ch !== 0) {
      skipSeparationSpace(state, true, nodeIndent);
      ch = state.input.charCodeAt(state.position);
      if (ch === terminator) {
        state.position++;
        state.tag = _tag;
        state.anchor = _anchor;
        state.kind = isMapping ? "mapping" : "sequence";
        state.result = _result;
        return true;
      } else if (!readNext) {
        throwError(state, "missed comma between flow collection entries");
      } else if (ch === 44) {
        throwError(state, "expected the node content, but found ','");
      }
      keyTag = keyNode = valueNode = null;
      isPair = isExplicitPair = false;
      if (ch === 63) {
        const following = state.input.charCodeAt(state.position + 1);
        if (isWsOrEol(following)) {
          isPair = isExplicitPair = true;
          state.position++;
          skipSeparationSpace(state, true, nodeIndent);
        }
      }
      _line = state.line;
      _lineStart = state.lineStart;
      _pos = state.position;
      composeNode(state, nodeIndent, CONTEXT_FLOW_IN, false, true);
      keyTag = state.tag;
      keyNode = state.result;
      skipSeparationSpace(state, true, nodeIndent);
      ch = state.input.charCodeAt(state.position);
      if ((isExplicitPair || state.line === _line) && ch === 58) {
        isPair = true;
        ch = state.input.charCodeAt(++state.position);
        skipSeparationSpace(state, true, nodeIndent);
        composeNode(state, nodeIndent, CONTEXT_FLOW_IN, false, true);
        valueNode = state.result;
      }
      if (isMapping) {
        storeMappingPair(state, _result, overridableKeys, keyTag, keyNode, valueNode, _line, _lineStart, _pos);
      } else if (isPair) {
        _result.push(storeMappingPair(state, null, overridableKeys, keyTag, keyNode, valueNode, _line, _lineStart, _pos));
      } else {
        _result.push(keyNode);
      }
      skipSeparationSpace(state, true, nodeIndent);
      ch = state.input.charCodeAt(state.position);
      if (ch === 44) {
        readNext = true;
        ch = state.input.charCodeAt(++state.position);
      } else {
        readNext = false;
      }
    }
    throwError(state, "unexpected end of the stream within a flow collection");
  }
  function readBlockScalar(state, nodeIndent) {
    let folding;
    let chomping = CHOMPING_CLIP;
    let didReadContent = false;
    let detectedIndent = false;
    let textIndent = nodeIndent;
    let emptyLines = 0;
    let atMoreIndented = false;
    let tmp;
    let ch = state.input.charCodeAt(state.position);
    if (ch === 124) {
      folding = false;
    } else if (ch === 62) {
      folding = true;
    } else {
      return false;
    }
    state.kind = "scalar";
    state.result = "";
    while (ch !== 0) {
      ch = state.input.charCodeAt(++state.position);
      if (ch === 43 || ch === 45) {
        if (CHOMPING_CLIP === chomping) {
          chomping = ch === 43 ? CHOMPING_KEEP : CHOMPING_STRIP;
        } else {
          throwError(state, "repeat of a chomping mode identifier");
        }
      } else if ((tmp = fromDecimalCode(ch)) >= 0) {
        if (tmp === 0) {
          throwError(state, "bad explicit indentation width of a block scalar; it cannot be less than one");
        } else if (!detectedIndent) {
          textIndent = nodeIndent + tmp - 1;
          detectedIndent = true;
        } else {
          throwError(state, "repeat of an indentation width identifier");
        }
      } else {
        break;
      }
    }
    if (isWhiteSpace(ch)) {
      do {
        ch = state.input.charCodeAt(++state.position);
      } while (isWhiteSpace(ch));
      if (ch === 35) {
        do {
          ch = state.input.charCodeAt(++state.position);
        } while (!isEol(ch) && ch !== 0);
      }
    }
    while (ch !== 0) {
      readLineBreak(state);
      state.lineIndent = 0;
      ch = state.input.charCodeAt(state.position);
      while ((!detectedIndent || state.lineIndent < textIndent) && ch === 32) {
        state.lineIndent++;
        ch = state.input.charCodeAt(++state.position);
      }
      if (!detectedIndent && state.lineIndent > textIndent) {
        textIndent = state.lineIndent;
      }
      if (isEol(ch)) {
        emptyLines++;
        continue;
      }
      if (!detectedIndent && textIndent === 0) {
        throwError(state, "missing indentation for block scalar");
      }
      if (state.lineIndent < textIndent) {
        if (chomping === CHOMPING_KEEP) {
          state.result += common2.repeat("\n", didReadContent ? 1 + emptyLines : emptyLines);
        } else if (chomping === CHOMPING_CLIP) {
          if (didReadContent) {
            state.result += "\n";
          }
        }
        break;
      }
      if (folding) {
        if (isWhiteSpace(ch)) {
          atMoreIndented = true;
          state.result += common2.repeat("\n", didReadContent ? 1 + emptyLines : emptyLines);
        } else if (atMoreIndented) {
          atMoreIndented = false;
          state.result += common2.repeat("\n", emptyLines + 1);
        } else if (emptyLines === 0) {
          if (didReadContent) {
            state.result += " ";
          }
        } else {
          state.result += common2.repeat("\n", emptyLines);
        }
      } else {
        state.result += common2.repeat("\n", didReadContent ? 1 + emptyLines : emptyLines);
      }
      didReadContent = true;
      detectedIndent = true;
      emptyLines = 0;
      const captureStart = state.position;
      while (!isEol(ch) && ch !== 0) {
        ch = state.input.charCodeAt(++state.position);
      }
      captureSegment(state, captureStart, state.position, false);
    }
    return true;
  }
  function readBlockSequence(state, nodeIndent) {
    const _tag = state.tag;
    const _anchor = state.anchor;
    const _result = [];
    let detected = false;
    if (state.firstTabInLine !== -1) return false;
    if (state.anchor !== null) {
      storeAnchor(state, state.anchor, _result);
    }
    let ch = state.input.charCodeAt(state.position);
    while (ch !== 0) {
      if (state.firstTabInLine !== -1) {
        state.position = state.firstTabInLine;
        throwError(state, "tab characters must not be used in indentation");
      }
      if (ch !== 45) {
        break;
      }
      const following = state.input.charCodeAt(state.position + 1);
      if (!isWsOrEol(following)) {
        break;
      }
      detected = true;
      state.position++;
      if (skipSeparationSpace(state, true, -1)) {
        if (state.lineIndent <= nodeIndent) {
          _result.push(null);
          ch = state.input.charCodeAt(state.position);
          continue;
        }
      }
      const _line = state.line;
      composeNode(state, nodeIndent, CONTEXT_BLOCK_IN, false, true);
      _result.push(state.result);
      skipSeparationSpace(state, true, -1);
      ch = state.input.charCodeAt(state.position);
      if ((state.line === _line || state.lineIndent > nodeIndent) && ch !== 0) {
        throwError(state, "bad indentation of a sequence entry");
      } else if (state.lineIndent < nodeIndent) {
        break;
      }
    }
    if (detected) {
      state.tag = _tag;
      state.anchor = _anchor;
      state.kind = "sequence";
      state.result = _result;
      return true;
    }
    return false;
  }
  function readBlockMapping(state, nodeIndent, flowIndent) {
    let allowCompact;
    let _keyLine;
    let _keyLineStart;
    let _keyPos;
    const _tag = state.tag;
    const _anchor = state.anchor;
    const _result = {};
    const overridableKeys = /* @__PURE__ */ Object.create(null);
    let keyTag = null;
    let keyNode = null;
    let valueNode = null;
    let atExplicitKey = false;
    let detected = false;
    if (state.firstTabInLine !== -1) return false;
    if (state.anchor !== null) {
      storeAnchor(state, state.anchor, _result);
    }
    let ch = state.input.charCodeAt(state.position);
    while (ch !== 0) {
      if (!atExplicitKey && state.firstTabInLine !== -1) {
        state.position = state.firstTabInLine;
        throwError(state, "tab characters must not be used in indentation");
      }
      const following = state.input.charCodeAt(state.position + 1);
      const _line = state.line;
      if ((ch === 63 || ch === 58) && isWsOrEol(following)) {
        if (ch === 63) {
          if (atExplicitKey) {
            storeMappingPair(state, _result, overridableKeys, keyTag, keyNode, null, _keyLine, _keyLineStart, _keyPos);
            keyTag = keyNode = valueNode = null;
          }
          detected = true;
          atExplicitKey = true;
          allowCompact = true;
        } else if (atExplicitKey) {
          atExplicitKey = false;
          allowCompact = true;
        } else {
          throwError(state, "incomplete explicit mapping pair; a key node is missed; or followed by a non-tabulated empty line");
        }
        state.position += 1;
        ch = following;
      } else {
        _keyLine = state.line;
        _keyLineStart = state.lineStart;
        _keyPos = state.position;
        if (!composeNode(state, flowIndent, CONTEXT_FLOW_OUT, false, true)) {
          break;
        }
        if (state.line === _line) {
          ch = state.input.charCodeAt(state.position);
          while (isWhiteSpace(ch)) {
            ch = state.input.charCodeAt(++state.position);
          }
          if (ch === 58) {
            ch = state.input.charCodeAt(++state.position);
            if (!isWsOrEol(ch)) {
              throwError(state, "a whitespace character is expected after the key-value separator within a block mapping");
            }
            if (atExplicitKey) {
              storeMappingPair(state, _result, overridableKeys, keyTag, keyNode, null, _keyLine, _keyLineStart, _keyPos);
              keyTag = keyNode = valueNode = null;
            }
            detected = true;
            atExplicitKey = false;
            allowCompact = false;
            keyTag = state.tag;
            keyNode = state.result;
          } else if (detected) {
            throwError(state, "can not read an implicit mapping pair; a colon is missed");
          } else {
            state.tag = _tag;
            state.anchor = _anchor;
            return true;
          }
        } else if (detected) {
          throwError(state, "can not read a block mapping entry; a multiline key may not be an implicit key");
        } else {
          state.tag = _tag;
          state.anchor = _anchor;
          return true;
        }
      }
      if (state.line === _line || state.lineIndent > nodeIndent) {
        if (atExplicitKey) {
          _keyLine = state.line;
          _keyLineStart = state.lineStart;
          _keyPos = state.position;
        }
        if (composeNode(state, nodeIndent, CONTEXT_BLOCK_OUT, true, allowCompact)) {
          if (atExplicitKey) {
            keyNode = state.result;
          } else {
            valueNode = state.result;
          }
        }
        if (!atExplicitKey) {
          storeMappingPair(state, _result, overridableKeys, keyTag, keyNode, valueNode, _keyLine, _keyLineStart, _keyPos);
          keyTag = keyNode = valueNode = null;
        }
        skipSeparationSpace(state, true, -1);
        ch = state.input.charCodeAt(state.position);
      }
      if ((state.line === _line || state.lineIndent > nodeIndent) && ch !== 0) {
        throwError(state, "bad indentation of a mapping entry");
      } else if (state.lineIndent < nodeIndent) {
        break;
      }
    }
    if (atExplicitKey) {
      storeMappingPair(state, _result, overridableKeys, keyTag, keyNode, null, _keyLine, _keyLineStart, _keyPos);
    }
    if (detected) {
      state.tag = _tag;
      state.anchor = _anchor;
      state.kind = "mapping";
      state.result = _result;
    }
    return detected;
  }
  function readTagProperty(state) {
    let isVerbatim = false;
    let isNamed = false;
    let tagHandle;
    let tagName;
    let ch = state.input.charCodeAt(state.position);
    if (ch !== 33) return false;
    if (state.tag !== null) {
      throwError(state, "duplication of a tag property");
    }
    ch = state.input.charCodeAt(++state.position);
    if (ch === 60) {
      isVerbatim = true;
      ch = state.input.charCodeAt(++state.position);
    } else if (ch === 33) {
      isNamed = true;
      tagHandle = "!!";
      ch = state.input.charCodeAt(++state.position);
    } else {
      tagHandle = "!";
    }
    let _position = state.position;
    if (isVerbatim) {
      do {
        ch = state.input.charCodeAt(++state.position);
      } while (ch !== 0 && ch !== 62);
      if (state.position < state.length) {
        tagName = state.input.slice(_position, state.position);
        ch = state.input.charCodeAt(++state.position);
      } else {
        throwError(state, "unexpected end of the stream within a verbatim tag");
      }
    } else {
      while (ch !== 0 && !isWsOrEol(ch)) {
        if (ch === 33) {
          if (!isNamed) {
            tagHandle = state.input.slice(_position - 1, state.position + 1);
            if (!PATTERN_TAG_HANDLE.test(tagHandle)) {
              throwError(state, "named tag handle cannot contain such characters");
            }
            isNamed = true;
            _position = state.position + 1;
          } else {
            throwError(state, "tag suffix cannot contain exclamation marks");
          }
        }
        ch = state.input.charCodeAt(++state.position);
      }
      tagName = state.input.slice(_position, state.position);
      if (PATTERN_FLOW_INDICATORS.test(tagName)) {
        throwError(state, "tag suffix cannot contain flow indicator characters");
      }
    }
    if (tagName && !PATTERN_TAG_URI.test(tagName)) {
      throwError(state, "tag name cannot contain such characters: " + tagName);
    }
    try {
      tagName = decodeURIComponent(tagName);
    } catch (err) {
      throwError(state, "tag name is malformed: " + tagName);
    }
    if (isVerbatim) {
      state.tag = tagName;
    } else if (_hasOwnProperty.call(state.tagMap, tagHandle)) {
      state.tag = state.tagMap[tagHandle] + tagName;
    } else if (tagHandle === "!") {
      state.tag = "!" + tagName;
    } else if (tagHandle === "!!") {
      state.tag = "tag:yaml.org,2002:" + tagName;
    } else {
      throwError(state, 'undeclared tag handle "' + tagHandle + '"');
    }
    return true;
  }
  function readAnchorProperty(state) {
    let ch = state.input.charCodeAt(state.position);
    if (ch !== 38) return false;
    if (state.anchor !== null) {
      throwError(state, "duplication of an anchor property");
    }
    ch = state.input.charCodeAt(++state.position);
    const _position = state.position;
    while (ch !== 0 && !isWsOrEol(ch) && !isFlowIndicator(ch)) {
      ch = state.input.charCodeAt(++state.position);
    }
    if (state.position === _position) {
      throwError(state, "name of an anchor node must contain at least one character");
    }
    state.anchor = state.input.slice(_position, state.position);
    return true;
  }
  function readAlias(state) {
    let ch = state.input.charCodeAt(state.position);
    if (ch !== 42) return false;
    ch = state.input.charCodeAt(++state.position);
    const _position = state.position;
    while (ch !== 0 && !isWsOrEol(ch) && !isFlowIndicator(ch)) {
      ch = state.input.charCodeAt(++state.position);
    }
    if (state.position === _position) {
      throwError(state, "name of an alias node must contain at least one character");
    }
    const alias = state.input.slice(_position, state.position);
    if (!_hasOwnProperty.call(state.anchorMap, alias)) {
      throwError(state, 'unidentified alias "' + alias + '"');
    }
    state.result = state.anchorMap[alias];
    skipSeparationSpace(state, true, -1);
    return true;
  }
  function tryReadBlockMappingFromProperty(state, propertyStart, nodeIndent, flowIndent) {
    const fallbackState = snapshotState(state);
    beginAnchorTransaction(state);
    restoreState(state, propertyStart);
    state.tag = null;
    state.anchor = null;
    state.kind = null;
    state.result = null;
    if (readBlockMapping(state, nodeIndent, flowIndent) && state.kind === "mapping") {
      commitAnchorTransaction(state);
      return true;
    }
    rollbackAnchorTransaction(state);
    restoreState(state, fallbackState);
    return false;
  }
  function composeNode(state, parentIndent, nodeContext, allowToSeek, allowCompact) {
    let allowBlockScalars;
    let allowBlockCollections;
    let indentStatus = 1;
    let atNewLine = false;
    let hasContent = false;
    let propertyStart = null;
    let type2;
    let flowIndent;
    let blockIndent;
    if (state.depth >= state.maxDepth) {
      throwError(state, "nesting exceeded maxDepth (" + state.maxDepth + ")");
    }
    state.depth += 1;
    if (state.listener !== null) {
      state.listener("open", state);
    }
    state.tag = null;
    state.anchor = null;
    state.kind = null;
    state.result = null;
    const allowBlockStyles = allowBlockScalars = allowBlockCollections = CONTEXT_BLOCK_OUT === nodeContext || CONTEXT_BLOCK_IN === nodeContext;
    if (allowToSeek) {
      if (skipSeparationSpace(state, true, -1)) {
        atNewLine = true;
        if (state.lineIndent > parentIndent) {
          indentStatus = 1;
        } else if (state.lineIndent === parentIndent) {
          indentStatus = 0;
        } else if (state.lineIndent < parentIndent) {
          indentStatus = -1;
        }
      }
    }
    if (indentStatus === 1) {
      while (true) {
        const ch = state.input.charCodeAt(state.position);
        const propertyState = snapshotState(state);
        if (atNewLine && (ch === 33 && state.tag !== null || ch === 38 && state.anchor !== null)) {
          break;
        }
        if (!readTagProperty(state) && !readAnchorProperty(state)) {
          break;
        }
        if (propertyStart === null) {
          propertyStart = propertyState;
        }
        if (skipSeparationSpace(state, true, -1)) {
          atNewLine = true;
          allowBlockCollections = allowBlockStyles;
          if (state.lineIndent > parentIndent) {
            indentStatus = 1;
          } else if (state.lineIndent === parentIndent) {
            indentStatus = 0;
          } else if (state.lineIndent < parentIndent) {
            indentStatus = -1;
          }
        } else {
          allowBlockCollections = false;
        }
      }
    }
    if (allowBlockCollections) {
      allowBlockCollections = atNewLine || allowCompact;
    }
    if (indentStatus === 1 || CONTEXT_BLOCK_OUT === nodeContext) {
      if (CONTEXT_FLOW_IN === nodeContext || CONTEXT_FLOW_OUT === nodeContext) {
        flowIndent = parentIndent;
      } else {
        flowIndent = parentIndent + 1;
      }
      blockIndent = state.position - state.lineStart;
      if (indentStatus === 1) {
        if (allowBlockCollections && (readBlockSequence(state, blockIndent) || readBlockMapping(state, blockIndent, flowIndent)) || readFlowCollection(state, flowIndent)) {
          hasContent = true;
        } else {
          const ch = state.input.charCodeAt(state.position);
          if (propertyStart !== null && allowBlockStyles && !allowBlockCollections && ch !== 124 && ch !== 62 && tryReadBlockMappingFromProperty(
            state,
            propertyStart,
            propertyStart.position - propertyStart.lineStart,
            flowIndent
          )) {
            hasContent = true;
          } else if (allowBlockScalars && readBlockScalar(state, flowIndent) || readSingleQuotedScalar(state, flowIndent) || readDoubleQuotedScalar(state, flowIndent)) {
            hasContent = true;
          } else if (readAlias(state)) {
            hasContent = true;
            if (state.tag !== null || state.anchor !== null) {
              throwError(state, "alias node should not have any properties");
            }
          } else if (readPlainScalar(state, flowIndent, CONTEXT_FLOW_IN === nodeContext)) {
            hasContent = true;
            if (state.tag === null) {
              state.tag = "?";
            }
          }
          if (state.anchor !== null) {
            storeAnchor(state, state.anchor, state.result);
          }
        }
      } else if (indentStatus === 0) {
        hasContent = allowBlockCollections && readBlockSequence(state, blockIndent);
      }
    }
    if (state.tag === null) {
      if (state.anchor !== null) {
        storeAnchor(state, state.anchor, state.result);
      }
    } else if (state.tag === "?") {
      if (state.result !== null && state.kind !== "scalar") {
        throwError(state, 'unacceptable node kind for !<?> tag; it should be "scalar", not "' + state.kind + '"');
      }
      for (let typeIndex = 0, typeQuantity = state.implicitTypes.length; typeIndex < typeQuantity; typeIndex += 1) {
        type2 = state.implicitTypes[typeIndex];
        if (type2.resolve(state.result)) {
          state.result = type2.construct(state.result);
          state.tag = type2.tag;
          if (state.anchor !== null) {
            storeAnchor(state, state.anchor, state.result);
          }
          break;
        }
      }
    } else if (state.tag !== "!") {
      if (_hasOwnProperty.call(state.typeMap[state.kind || "fallback"], state.tag)) {
        type2 = state.typeMap[state.kind || "fallback"][state.tag];
      } else {
        type2 = null;
        const typeList = state.typeMap.multi[state.kind || "fallback"];
        for (let typeIndex = 0, typeQuantity = typeList.length; typeIndex < typeQuantity; typeIndex += 1) {
          if (state.tag.slice(0, typeList[typeIndex].tag.length) === typeList[typeIndex].tag) {
            type2 = typeList[typeIndex];
            break;
          }
        }
      }
      if (!type2) {
        throwError(state, "unknown tag !<" + state.tag + ">");
      }
      if (state.result !== null && type2.kind !== state.kind) {
        throwError(state, "unacceptable node kind for !<" + state.tag + '> tag; it should be "' + type2.kind + '", not "' + state.kind + '"');
      }
      if (!type2.resolve(state.result, state.tag)) {
        throwError(state, "cannot resolve a node with !<" + state.tag + "> explicit tag");
      } else {
        state.result = type2.construct(state.result, state.tag);
        if (state.anchor !== null) {
          storeAnchor(state, state.anchor, state.result);
        }
      }
    }
    if (state.listener !== null) {
      state.listener("close", state);
    }
    state.depth -= 1;
    return state.tag !== null || state.anchor !== null || hasContent;
  }
  function readDocument(state) {
    const documentStart = state.position;
    let hasDirectives = false;
    let ch;
    state.version = null;
    state.checkLineBreaks = state.legacy;
    state.tagMap = /* @__PURE__ */ Object.create(null);
    state.anchorMap = /* @__PURE__ */ Object.create(null);
    while ((ch = state.input.charCodeAt(state.position)) !== 0) {
      skipSeparationSpace(state, true, -1);
      ch = state.input.charCodeAt(state.position);
      if (state.lineIndent > 0 || ch !== 37) {
        break;
      }
      hasDirectives = true;
      ch = state.input.charCodeAt(++state.position);
      let _position = state.position;
      while (ch !== 0 && !isWsOrEol(ch)) {
        ch = state.input.charCodeAt(++state.position);
      }
      const directiveName = state.input.slice(_position, state.position);
      const directiveArgs = [];
      if (directiveName.length < 1) {
        throwError(state, "directive name must not be less than one character in length");
      }
      while (ch !== 0) {
        while (isWhiteSpace(ch)) {
          ch = state.input.charCodeAt(++state.position);
        }
        if (ch === 35) {
          do {
            ch = state.input.charCodeAt(++state.position);
          } while (ch !== 0 && !isEol(ch));
          break;
        }
        if (isEol(ch)) break;
        _position = state.position;
        while (ch !== 0 && !isWsOrEol(ch)) {
          ch = state.input.charCodeAt(++state.position);
        }
        directiveArgs.push(state.input.slice(_position, state.position));
      }
      if (ch !== 0) readLineBreak(state);
      if (_hasOwnProperty.call(directiveHandlers, directiveName)) {
        directiveHandlers[directiveName](state, directiveName, directiveArgs);
      } else {
        throwWarning(state, 'unknown document directive "' + directiveName + '"');
      }
    }
    skipSeparationSpace(state, true, -1);
    if (state.lineIndent === 0 && state.input.charCodeAt(state.position) === 45 && state.input.charCodeAt(state.position + 1) === 45 && state.input.charCodeAt(state.position + 2) === 45) {
      state.position += 3;
      skipSeparationSpace(state, true, -1);
    } else if (hasDirectives) {
      throwError(state, "directives end mark is expected");
    }
    composeNode(state, state.lineIndent - 1, CONTEXT_BLOCK_OUT, false, true);
    skipSeparationSpace(state, true, -1);
    if (state.checkLineBreaks && PATTERN_NON_ASCII_LINE_BREAKS.test(state.input.slice(documentStart, state.position))) {
      throwWarning(state, "non-ASCII line breaks are interpreted as content");
    }
    state.documents.push(state.result);
    if (state.position === state.lineStart && testDocumentSeparator(state)) {
      if (state.input.charCodeAt(state.position) === 46) {
        state.position += 3;
        skipSeparationSpace(state, true, -1);
      }
      return;
    }
    if (state.position < state.length - 1) {
      throwError(state, "end of the stream or a document separator is expected");
    }
  }
  function loadDocuments(input, options) {
    input = String(input);
    options = options || {};
    if (input.length !== 0) {
      if (input.charCodeAt(input.length - 1) !== 10 && input.charCodeAt(input.length - 1) !== 13) {
        input += "\n";
      }
      if (input.charCodeAt(0) === 65279) {
        input = input.slice(1);
      }
    }
    const state = new State(input, options);
    const nullpos = input.indexOf("\0");
    if (nullpos !== -1) {
      state.position = nullpos;
      throwError(state, "null byte is not allowed in input");
    }
    state.input += "\0";
    while (state.input.charCodeAt(state.position) === 32) {
      state.lineIndent += 1;
      state.position += 1;
    }
    while (state.position < state.length - 1) {
      readDocument(state);
    }
    return state.documents;
  }
  function loadAll2(input, iterator, options) {
    if (iterator !== null && typeof iterator === "object" && typeof options === "undefined") {
      options = iterator;
      iterator = null;
    }
    const documents = loadDocuments(input, options);
    if (typeof iterator !== "function") {
      return documents;
    }
    for (let index = 0, length = documents.length; index < length; index += 1) {
      iterator(documents[index]);
    }
  }
  function load2(input, options) {
    const documents = loadDocuments(input, options);
    if (documents.length === 0) {
      return void 0;
    } else if (documents.length === 1) {
      return documents[0];
    }
    throw new YAMLException2("expected a single document in the stream, but found more");
  }
  loader.loadAll = loadAll2;
  loader.load = load2;
  return loader;
}
var dumper = {};
var hasRequiredDumper;
function requireDumper() {
  if (hasRequiredDumper) return dumper;
  hasRequiredDumper = 1;
  const common2 = requireCommon();
  const YAMLException2 = requireException();
  const DEFAULT_SCHEMA2 = require_default();
  const _toString = Object.prototype.toString;
  const _hasOwnProperty = Object.prototype.hasOwnProperty;
  const CHAR_BOM = 65279;
  const CHAR_TAB = 9;
  const CHAR_LINE_FEED = 10;
  const CHAR_CARRIAGE_RETURN = 13;
  const CHAR_SPACE = 32;
  const CHAR_EXCLAMATION = 33;
  const CHAR_DOUBLE_QUOTE = 34;
  const CHAR_SHARP = 35;
  const CHAR_PERCENT = 37;
  const CHAR_AMPERSAND = 38;
  const CHAR_SINGLE_QUOTE = 39;
  const CHAR_ASTERISK = 42;
  const CHAR_COMMA = 44;
  const CHAR_MINUS = 45;
  const CHAR_COLON = 58;
  const CHAR_EQUALS = 61;
  const CHAR_GREATER_THAN = 62;
  const CHAR_QUESTION = 63;
  const CHAR_COMMERCIAL_AT = 64;
  const CHAR_LEFT_SQUARE_BRACKET = 91;
  const CHAR_RIGHT_SQUARE_BRACKET = 93;
  const CHAR_GRAVE_ACCENT = 96;
  const CHAR_LEFT_CURLY_BRACKET = 123;
  const CHAR_VERTICAL_LINE = 124;
  const CHAR_RIGHT_CURLY_BRACKET = 125;
  const ESCAPE_SEQUENCES = {};
  ESCAPE_SEQUENCES[0] = "\\0";
  ESCAPE_SEQUENCES[7] = "\\a";
  ESCAPE_SEQUENCES[8] = "\\b";
  ESCAPE_SEQUENCES[9] = "\\t";
  ESCAPE_SEQUENCES[10] = "\\n";
  ESCAPE_SEQUENCES[11] = "\\v";
  ESCAPE_SEQUENCES[12] = "\\f";
  ESCAPE_SEQUENCES[13] = "\\r";
  ESCAPE_SEQUENCES[27] = "\\e";
  ESCAPE_SEQUENCES[34] = '\\"';
  ESCAPE_SEQUENCES[92] = "\\\\";
  ESCAPE_SEQUENCES[133] = "\\N";
  ESCAPE_SEQUENCES[160] = "\\_";
  ESCAPE_SEQUENCES[8232] = "\\L";
  ESCAPE_SEQUENCES[8233] = "\\P";
  const DEPRECATED_BOOLEANS_SYNTAX = [
    "y",
    "Y",
    "yes",
    "Yes",
    "YES",
    "on",
    "On",
    "ON",
    "n",
    "N",
    "no",
    "No",
    "NO",
    "off",
    "Off",
    "OFF"
  ];
  const DEPRECATED_BASE60_SYNTAX = /^[-+]?[0-9_]+(?::[0-9_]+)+(?:\.[0-9_]*)?$/;
  function compileStyleMap(schema2, map2) {
    if (map2 === null) return {};
    const result = {};
    const keys = Object.keys(map2);
    for (let index = 0, length = keys.length; index < length; index += 1) {
      let tag = keys[index];
      let style = String(map2[tag]);
      if (tag.slice(0, 2) === "!!") {
        tag = "tag:yaml.org,2002:" + tag.slice(2);
      }
      const type2 = schema2.compiledTypeMap["fallback"][tag];
      if (type2 && _hasOwnProperty.call(type2.styleAliases, style)) {
        style = type2.styleAliases[style];
      }
      result[tag] = style;
    }
    return result;
  }
  function encodeHex(character) {
    let handle;
    let length;
    const string = character.toString(16).toUpperCase();
    if (character <= 255) {
      handle = "x";
      length = 2;
    } else if (character <= 65535) {
      handle = "u";
      length = 4;
    } else if (character <= 4294967295) {
      handle = "U";
      length = 8;
    } else {
      throw new YAMLException2("code point within a string may not be greater than 0xFFFFFFFF");
    }
    return "\\" + handle + common2.repeat("0", length - string.length) + string;
  }
  const QUOTING_TYPE_SINGLE = 1;
  const QUOTING_TYPE_DOUBLE = 2;
  function State(options) {
    this.schema = options["schema"] || DEFAULT_SCHEMA2;
    this.indent = Math.max(1, options["indent"] || 2);
    this.noArrayIndent = options["noArrayIndent"] || false;
    this.skipInvalid = options["skipInvalid"] || false;
    this.flowLevel = common2.isNothing(options["flowLevel"]) ? -1 : options["flowLevel"];
    this.styleMap = compileStyleMap(this.schema, options["styles"] || null);
    this.sortKeys = options["sortKeys"] || false;
    this.lineWidth = options["lineWidth"] || 80;
    this.noRefs = options["noRefs"] || false;
    this.noCompatMode = options["noCompatMode"] || false;
    this.condenseFlow = options["condenseFlow"] || false;
    this.quotingType = options["quotingType"] === '"' ? QUOTING_TYPE_DOUBLE : QUOTING_TYPE_SINGLE;
    this.forceQuotes = options["forceQuotes"] || false;
    this.replacer = typeof options["replacer"] === "function" ? options["replacer"] : null;
    this.implicitTypes = this.schema.compiledImplicit;
    this.explicitTypes = this.schema.compiledExplicit;
    this.tag = null;
    this.result = "";
    this.duplicates = [];
    this.usedDuplicates = null;
  }
  function indentString(string, spaces) {
    const ind = common2.repeat(" ", spaces);
    let position = 0;
    let result = "";
    const length = string.length;
    while (position < length) {
      let line;
      const next = string.indexOf("\n", position);
      if (next === -1) {
        line = string.slice(position);
        position = length;
      } else {
        line = string.slice(position, next + 1);
        position = next + 1;
      }
      if (line.length && line !== "\n") result += ind;
      result += line;
    }
    return result;
  }
  function generateNextLine(state, level) {
    return "\n" + common2.repeat(" ", state.indent * level);
  }
  function testImplicitResolving(state, str2) {
    for (let index = 0, length = state.implicitTypes.length; index < length; index += 1) {
      const type2 = state.implicitTypes[index];
      if (type2.resolve(str2)) {
        return true;
      }
    }
    return false;
  }
  function isWhitespace(c) {
    return c === CHAR_SPACE || c === CHAR_TAB;
  }
  function isPrintable(c) {
    return c >= 32 && c <= 126 || c >= 161 && c <= 55295 && c !== 8232 && c !== 8233 || c >= 57344 && c <= 65533 && c !== CHAR_BOM || c >= 65536 && c <= 1114111;
  }
  function isNsCharOrWhitespace(c) {
    return isPrintable(c) && c !== CHAR_BOM && // - b-char
    c !== CHAR_CARRIAGE_RETURN && c !== CHAR_LINE_FEED;
  }
  function isPlainSafe(c, prev, inblock) {
    const cIsNsCharOrWhitespace = isNsCharOrWhitespace(c);
    const cIsNsChar = cIsNsCharOrWhitespace && !isWhitespace(c);
    return (
      // ns-plain-safe
      (inblock ? cIsNsCharOrWhitespace : cIsNsCharOrWhitespace && // - c-flow-indicator
      c !== CHAR_COMMA && c !== CHAR_LEFT_SQUARE_BRACKET && c !== CHAR_RIGHT_SQUARE_BRACKET && c !== CHAR_LEFT_CURLY_BRACKET && c !== CHAR_RIGHT_CURLY_BRACKET) && // ns-plain-char
      c !== CHAR_SHARP && // false on '#'
      !(prev === CHAR_COLON && !cIsNsChar) || // false on ': '
      isNsCharOrWhitespace(prev) && !isWhitespace(prev) && c === CHAR_SHARP || // change to true on '[^ ]#'
      prev === CHAR_COLON && cIsNsChar
    );
  }
  function isPlainSafeFirst(c) {
    return isPrintable(c) && c !== CHAR_BOM && !isWhitespace(c) && // - s-white
    // - (c-indicator ::=
    // “-” | “?” | “:” | “,” | “[” | “]” | “{” | “}”
    c !== CHAR_MINUS && c !== CHAR_QUESTION && c !== CHAR_COLON && c !== CHAR_COMMA && c !== CHAR_LEFT_SQUARE_BRACKET && c !== CHAR_RIGHT_SQUARE_BRACKET && c !== CHAR_LEFT_CURLY_BRACKET && c !== CHAR_RIGHT_CURLY_BRACKET && // | “#” | “&” | “*” | “!” | “|” | “=” | “>” | “'” | “"”
    c !== CHAR_SHARP && c !== CHAR_AMPERSAND && c !== CHAR_ASTERISK && c !== CHAR_EXCLAMATION && c !== CHAR_VERTICAL_LINE && c !== CHAR_EQUALS && c !== CHAR_GREATER_THAN && c !== CHAR_SINGLE_QUOTE && c !== CHAR_DOUBLE_QUOTE && // | “%” | “@” | “`”)
    c !== CHAR_PERCENT && c !== CHAR_COMMERCIAL_AT && c !== CHAR_GRAVE_ACCENT;
  }
  function isPlainSafeLast(c) {
    return !isWhitespace(c) && c !== CHAR_COLON;
  }
  function codePointAt(string, pos) {
    const first = string.charCodeAt(pos);
    let second;
    if (first >= 55296 && first <= 56319 && pos + 1 < string.length) {
      second = string.charCodeAt(pos + 1);
      if (second >= 56320 && second <= 57343) {
        return (first - 55296) * 1024 + second - 56320 + 65536;
      }
    }
    return first;
  }
  function needIndentIndicator(string) {
    const leadingSpaceRe = /^\n* /;
    return leadingSpaceRe.test(string);
  }
  const STYLE_PLAIN = 1;
  const STYLE_SINGLE = 2;
  const STYLE_LITERAL = 3;
  const STYLE_FOLDED = 4;
  const STYLE_DOUBLE = 5;
  function chooseScalarStyle(string, singleLineOnly, indentPerLevel, lineWidth, testAmbiguousType, quotingType, forceQuotes, inblock) {
    let i;
    let char = 0;
    let prevChar = null;
    let hasLineBreak = false;
    let hasFoldableLine = false;
    const shouldTrackWidth = lineWidth !== -1;
    let previousLineBreak = -1;
    let plain = isPlainSafeFirst(codePointAt(string, 0)) && isPlainSafeLast(codePointAt(string, string.length - 1));
    if (singleLineOnly || forceQuotes) {
      for (i = 0; i < string.length; char >= 65536 ? i += 2 : i++) {
        char = codePointAt(string, i);
        if (!isPrintable(char)) {
          return STYLE_DOUBLE;
        }
        plain = plain && isPlainSafe(char, prevChar, inblock);
        prevChar = char;
      }
    } else {
      for (i = 0; i < string.length; char >= 65536 ? i += 2 : i++) {
        char = codePointAt(string, i);
        if (char === CHAR_LINE_FEED) {
          hasLineBreak = true;
          if (shouldTrackWidth) {
            hasFoldableLine = hasFoldableLine || // Foldable line = too long, and not more-indented.
            i - previousLineBreak - 1 > lineWidth && string[previousLineBreak + 1] !== " ";
            previousLineBreak = i;
          }
        } else if (!isPrintable(char)) {
          return STYLE_DOUBLE;
        }
        plain = plain && isPlainSafe(char, prevChar, inblock);
        prevChar = char;
      }
      hasFoldableLine = hasFoldableLine || shouldTrackWidth && (i - previousLineBreak - 1 > lineWidth && string[previousLineBreak + 1] !== " ");
    }
    if (!hasLineBreak && !hasFoldableLine) {
      if (plain && !forceQuotes && !testAmbiguousType(string)) {
        return STYLE_PLAIN;
      }
      return quotingType === QUOTING_TYPE_DOUBLE ? STYLE_DOUBLE : STYLE_SINGLE;
    }
    if (indentPerLevel > 9 && needIndentIndicator(string)) {
      return STYLE_DOUBLE;
    }
    if (!forceQuotes) {
      return hasFoldableLine ? STYLE_FOLDED : STYLE_LITERAL;
    }
    return quotingType === QUOTING_TYPE_DOUBLE ? STYLE_DOUBLE : STYLE_SINGLE;
  }
  function writeScalar(state, string, level, iskey, inblock) {
    state.dump = (function() {
      if (string.length === 0) {
        return state.quotingType === QUOTING_TYPE_DOUBLE ? '""' : "''";
      }
      if (!state.noCompatMode) {
        if (DEPRECATED_BOOLEANS_SYNTAX.indexOf(string) !== -1 || DEPRECATED_BASE60_SYNTAX.test(string)) {
          return state.quotingType === QUOTING_TYPE_DOUBLE ? '"' + string + '"' : "'" + string + "'";
        }
      }
      const indent = state.indent * Math.max(1, level);
      const lineWidth = state.lineWidth === -1 ? -1 : Math.max(Math.min(state.lineWidth, 40), state.lineWidth - indent);
      const singleLineOnly = iskey || // No block styles in flow mode.
      state.flowLevel > -1 && level >= state.flowLevel;
      function testAmbiguity(string2) {
        return testImplicitResolving(state, string2);
      }
      switch (chooseScalarStyle(
        string,
        singleLineOnly,
        state.indent,
        lineWidth,
        testAmbiguity,
        state.quotingType,
        state.forceQuotes && !iskey,
        inblock
      )) {
        case STYLE_PLAIN:
          return string;
        case STYLE_SINGLE:
          return "'" + string.replace(/'/g, "''") + "'";
        case STYLE_LITERAL:
          return "|" + blockHeader(string, state.indent) + dropEndingNewline(indentString(string, indent));
        case STYLE_FOLDED:
          return ">" + blockHeader(string, state.indent) + dropEndingNewline(indentString(foldString(string, lineWidth), indent));
        case STYLE_DOUBLE:
          return '"' + escapeString(string) + '"';
        default:
          throw new YAMLException2("impossible error: invalid scalar style");
      }
    })();
  }
  function blockHeader(string, indentPerLevel) {
    const indentIndicator = needIndentIndicator(string) ? String(indentPerLevel) : "";
    const clip = string[string.length - 1] === "\n";
    const keep = clip && (string[string.length - 2] === "\n" || string === "\n");
    const chomp = keep ? "+" : clip ? "" : "-";
    return indentIndicator + chomp + "\n";
  }
  function dropEndingNewline(string) {
    return string[string.length - 1] === "\n" ? string.slice(0, -1) : string;
  }
  function foldString(string, width) {
    const lineRe = /(\n+)([^\n]*)/g;
    let result = (function() {
      let nextLF = string.indexOf("\n");
      nextLF = nextLF !== -1 ? nextLF : string.length;
      lineRe.lastIndex = nextLF;
      return foldLine(string.slice(0, nextLF), width);
    })();
    let prevMoreIndented = string[0] === "\n" || string[0] === " ";
    let moreIndented;
    let match;
    while (match = lineRe.exec(string)) {
      const prefix = match[1];
      const line = match[2];
      moreIndented = line[0] === " ";
      result += prefix + (!prevMoreIndented && !moreIndented && line !== "" ? "\n" : "") + foldLine(line, width);
      prevMoreIndented = moreIndented;
    }
    return result;
  }
  function foldLine(line, width) {
    if (line === "" || line[0] === " ") return line;
    const breakRe = / [^ ]/g;
    let match;
    let start = 0;
    let end;
    let curr = 0;
    let next = 0;
    let result = "";
    while (match = breakRe.exec(line)) {
      next = match.index;
      if (next - start > width) {
        end = curr > start ? curr : next;
        result += "\n" + line.slice(start, end);
        start = end + 1;
      }
      curr = next;
    }
    result += "\n";
    if (line.length - start > width && curr > start) {
      result += line.slice(start, curr) + "\n" + line.slice(curr + 1);
    } else {
      result += line.slice(start);
    }
    return result.slice(1);
  }
  function escapeString(string) {
    let result = "";
    let char = 0;
    for (let i = 0; i < string.length; char >= 65536 ? i += 2 : i++) {
      char = codePointAt(string, i);
      const escapeSeq = ESCAPE_SEQUENCES[char];
      if (!escapeSeq && isPrintable(char)) {
        result += string[i];
        if (char >= 65536) result += string[i + 1];
      } else {
        result += escapeSeq || encodeHex(char);
      }
    }
    return result;
  }
  function writeFlowSequence(state, level, object) {
    let _result = "";
    const _tag = state.tag;
    for (let index = 0, length = object.length; index < length; index += 1) {
      let value = object[index];
      if (state.replacer) {
        value = state.replacer.call(object, String(index), value);
      }
      if (writeNode(state, level, value, false, false) || typeof value === "undefined" && writeNode(state, level, null, false, false)) {
        if (_result !== "") _result += "," + (!state.condenseFlow ? " " : "");
        _result += state.dump;
      }
    }
    state.tag = _tag;
    state.dump = "[" + _result + "]";
  }
  function writeBlockSequence(state, level, object, compact) {
    let _result = "";
    const _tag = state.tag;
    for (let index = 0, length = object.length; index < length; index += 1) {
      let value = object[index];
      if (state.replacer) {
        value = state.replacer.call(object, String(index), value);
      }
      if (writeNode(state, level + 1, value, true, true, false, true) || typeof value === "undefined" && writeNode(state, level + 1, null, true, true, false, true)) {
        if (!compact || _result !== "") {
          _result += generateNextLine(state, level);
        }
        if (state.dump && CHAR_LINE_FEED === state.dump.charCodeAt(0)) {
          _result += "-";
        } else {
          _result += "- ";
        }
        _result += state.dump;
      }
    }
    state.tag = _tag;
    state.dump = _result || "[]";
  }
  function writeFlowMapping(state, level, object) {
    let _result = "";
    const _tag = state.tag;
    const objectKeyList = Object.keys(object);
    for (let index = 0, length = objectKeyList.length; index < length; index += 1) {
      let pairBuffer = "";
      if (_result !== "") pairBuffer += ", ";
      if (state.condenseFlow) pairBuffer += '"';
      const objectKey = objectKeyList[index];
      let objectValue = object[objectKey];
      if (state.replacer) {
        objectValue = state.replacer.call(object, objectKey, objectValue);
      }
      if (!writeNode(state, level, objectKey, false, false)) {
        continue;
      }
      if (state.dump.length > 1024) pairBuffer += "? ";
      pairBuffer += state.dump + (state.condenseFlow ? '"' : "") + ":" + (state.condenseFlow ? "" : " ");
      if (!writeNode(state, level, objectValue, false, false)) {
        continue;
      }
      pairBuffer += state.dump;
      _result += pairBuffer;
    }
    state.tag = _tag;
    state.dump = "{" + _result + "}";
  }
  function writeBlockMapping(state, level, object, compact) {
    let _result = "";
    const _tag = state.tag;
    const objectKeyList = Object.keys(object);
    if (state.sortKeys === true) {
      objectKeyList.sort();
    } else if (typeof state.sortKeys === "function") {
      objectKeyList.sort(state.sortKeys);
    } else if (state.sortKeys) {
      throw new YAMLException2("sortKeys must be a boolean or a function");
    }
    for (let index = 0, length = objectKeyList.length; index < length; index += 1) {
      let pairBuffer = "";
      if (!compact || _result !== "") {
        pairBuffer += generateNextLine(state, level);
      }
      const objectKey = objectKeyList[index];
      let objectValue = object[objectKey];
      if (state.replacer) {
        objectValue = state.replacer.call(object, objectKey, objectValue);
      }
      if (!writeNode(state, level + 1, objectKey, true, true, true)) {
        continue;
      }
      const explicitPair = state.tag !== null && state.tag !== "?" || state.dump && state.dump.length > 1024;
      if (explicitPair) {
        if (state.dump && CHAR_LINE_FEED === state.dump.charCodeAt(0)) {
          pairBuffer += "?";
        } else {
          pairBuffer += "? ";
        }
      }
      pairBuffer += state.dump;
      if (explicitPair) {
        pairBuffer += generateNextLine(state, level);
      }
      if (!writeNode(state, level + 1, objectValue, true, explicitPair)) {
        continue;
      }
      if (state.dump && CHAR_LINE_FEED === state.dump.charCodeAt(0)) {
        pairBuffer += ":";
      } else {
        pairBuffer += ": ";
      }
      pairBuffer += state.dump;
      _result += pairBuffer;
    }
    state.tag = _tag;
    state.dump = _result || "{}";
  }
  function detectType(state, object, explicit) {
    const typeList = explicit ? state.explicitTypes : state.implicitTypes;
    for (let index = 0, length = typeList.length; index < length; index += 1) {
      const type2 = typeList[index];
      if ((type2.instanceOf || type2.predicate) && (!type2.instanceOf || typeof object === "object" && object instanceof type2.instanceOf) && (!type2.predicate || type2.predicate(object))) {
        if (explicit) {
          if (type2.multi && type2.representName) {
            state.tag = type2.representName(object);
          } else {
            state.tag = type2.tag;
          }
        } else {
          state.tag = "?";
        }
        if (type2.represent) {
          const style = state.styleMap[type2.tag] || type2.defaultStyle;
          let _result;
          if (_toString.call(type2.represent) === "[object Function]") {
            _result = type2.represent(object, style);
          } else if (_hasOwnProperty.call(type2.represent, style)) {
            _result = type2.represent[style](object, style);
          } else {
            throw new YAMLException2("!<" + type2.tag + '> tag resolver accepts not "' + style + '" style');
          }
          state.dump = _result;
        }
        return true;
      }
    }
    return false;
  }
  function writeNode(state, level, object, block, compact, iskey, isblockseq) {
    state.tag = null;
    state.dump = object;
    if (!detectType(state, object, false)) {
      detectType(state, object, true);
    }
    const type2 = _toString.call(state.dump);
    const inblock = block;
    if (block) {
      block = state.flowLevel < 0 || state.flowLevel > level;
    }
    const objectOrArray = type2 === "[object Object]" || type2 === "[object Array]";
    let duplicateIndex;
    let duplicate;
    if (objectOrArray) {
      duplicateIndex = state.duplicates.indexOf(object);
      duplicate = duplicateIndex !== -1;
    }
    if (state.tag !== null && state.tag !== "?" || duplicate || state.indent !== 2 && level > 0) {
      compact = false;
    }
    if (duplicate && state.usedDuplicates[duplicateIndex]) {
      state.dump = "*ref_" + duplicateIndex;
    } else {
      if (objectOrArray && duplicate && !state.usedDuplicates[duplicateIndex]) {
        state.usedDuplicates[duplicateIndex] = true;
      }
      if (type2 === "[object Object]") {
        if (block && Object.keys(state.dump).length !== 0) {
          writeBlockMapping(state, level, state.dump, compact);
          if (duplicate) {
            state.dump = "&ref_" + duplicateIndex + state.dump;
          }
        } else {
          writeFlowMapping(state, level, state.dump);
          if (duplicate) {
            state.dump = "&ref_" + duplicateIndex + " " + state.dump;
          }
        }
      } else if (type2 === "[object Array]") {
        if (block && state.dump.length !== 0) {
          if (state.noArrayIndent && !isblockseq && level > 0) {
            writeBlockSequence(state, level - 1, state.dump, compact);
          } else {
            writeBlockSequence(state, level, state.dump, compact);
          }
          if (duplicate) {
            state.dump = "&ref_" + duplicateIndex + state.dump;
          }
        } else {
          writeFlowSequence(state, level, state.dump);
          if (duplicate) {
            state.dump = "&ref_" + duplicateIndex + " " + state.dump;
          }
        }
      } else if (type2 === "[object String]") {
        if (state.tag !== "?") {
          writeScalar(state, state.dump, level, iskey, inblock);
        }
      } else if (type2 === "[object Undefined]") {
        return false;
      } else {
        if (state.skipInvalid) return false;
        throw new YAMLException2("unacceptable kind of an object to dump " + type2);
      }
      if (state.tag !== null && state.tag !== "?") {
        let tagStr = encodeURI(
          state.tag[0] === "!" ? state.tag.slice(1) : state.tag
        ).replace(/!/g, "%21");
        if (state.tag[0] === "!") {
          tagStr = "!" + tagStr;
        } else if (tagStr.slice(0, 18) === "tag:yaml.org,2002:") {
          tagStr = "!!" + tagStr.slice(18);
        } else {
          tagStr = "!<" + tagStr + ">";
        }
        state.dump = tagStr + " " + state.dump;
      }
    }
    return true;
  }
  function getDuplicateReferences(object, state) {
    const objects = [];
    const duplicatesIndexes = [];
    inspectNode(object, objects, duplicatesIndexes);
    const length = duplicatesIndexes.length;
    for (let index = 0; index < length; index += 1) {
      state.duplicates.push(objects[duplicatesIndexes[index]]);
    }
    state.usedDuplicates = new Array(length);
  }
  function inspectNode(object, objects, duplicatesIndexes) {
    if (object !== null && typeof object === "object") {
      const index = objects.indexOf(object);
      if (index !== -1) {
        if (duplicatesIndexes.indexOf(index) === -1) {
          duplicatesIndexes.push(index);
        }
      } else {
        objects.push(object);
        if (Array.isArray(object)) {
          for (let i = 0, length = object.length; i < length; i += 1) {
            inspectNode(object[i], objects, duplicatesIndexes);
          }
        } else {
          const objectKeyList = Object.keys(object);
          for (let i = 0, length = objectKeyList.length; i < length; i += 1) {
            inspectNode(object[objectKeyList[i]], objects, duplicatesIndexes);
          }
        }
      }
    }
  }
  function dump2(input, options) {
    options = options || {};
    const state = new State(options);
    if (!state.noRefs) getDuplicateReferences(input, state);
    let value = input;
    if (state.replacer) {
      value = state.replacer.call({ "": value }, "", value);
    }
    if (writeNode(state, 0, value, true, true)) return state.dump + "\n";
    return "";
  }
  dumper.dump = dump2;
  return dumper;
}
var hasRequiredJsYaml;
function requireJsYaml() {
  if (hasRequiredJsYaml) return jsYaml;
  hasRequiredJsYaml = 1;
  const loader2 = requireLoader();
  const dumper2 = requireDumper();
  function renamed(from, to) {
    return function() {
      throw new Error("Function yaml." + from + " is removed in js-yaml 4. Use yaml." + to + " instead, which is now safe by default.");
    };
  }
  jsYaml.Type = requireType();
  jsYaml.Schema = requireSchema();
  jsYaml.FAILSAFE_SCHEMA = requireFailsafe();
  jsYaml.JSON_SCHEMA = requireJson();
  jsYaml.CORE_SCHEMA = requireCore();
  jsYaml.DEFAULT_SCHEMA = require_default();
  jsYaml.load = loader2.load;
  jsYaml.loadAll = loader2.loadAll;
  jsYaml.dump = dumper2.dump;
  jsYaml.YAMLException = requireException();
  jsYaml.types = {
    binary: requireBinary(),
    float: requireFloat(),
    map: requireMap(),
    null: require_null(),
    pairs: requirePairs(),
    set: requireSet(),
    timestamp: requireTimestamp(),
    bool: requireBool(),
    int: requireInt(),
    merge: requireMerge(),
    omap: requireOmap(),
    seq: requireSeq(),
    str: requireStr()
  };
  jsYaml.safeLoad = renamed("safeLoad", "load");
  jsYaml.safeLoadAll = renamed("safeLoadAll", "loadAll");
  jsYaml.safeDump = renamed("safeDump", "dump");
  return jsYaml;
}
var jsYamlExports = requireJsYaml();
const yaml = /* @__PURE__ */ getDefaultExportFromCjs(jsYamlExports);
const {
  Type,
  Schema,
  FAILSAFE_SCHEMA,
  JSON_SCHEMA,
  CORE_SCHEMA,
  DEFAULT_SCHEMA,
  load,
  loadAll,
  dump,
  YAMLException,
  types,
  safeLoad,
  safeLoadAll,
  safeDump
} = yaml;

//# sourceMappingURL=js-yaml.mjs.map

;// CONCATENATED MODULE: ./build/model/dockerconfig.js
// Docker config decoding: a port of pkg/credentialprovider/config.go (DockerConfigJSON,
// DockerConfig, DockerConfigEntry.UnmarshalJSON, decodeDockerConfigFieldAuth) with Go's
// encoding/json and encoding/base64 rules, so a secret the kubelet rejects is rejected here too.
// Error messages carry positions and type names only: never input text, which may be a credential.
const AUTH_FIELD_FORMAT_ERROR = 'unable to parse auth field, must be formatted as base64(username:password)';
// ---------------------------------------------------------------------------------------------
// encoding/base64 (StdEncoding and RawStdEncoding, non-strict)
const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < BASE64_ALPHABET.length; i++)
    BASE64_DECODE[BASE64_ALPHABET.charCodeAt(i)] = i;
const CR = 13;
const LF = 10;
const PAD = 61; // '='
function isNewline(c) {
    return c === CR || c === LF;
}
/**
 * Go's Encoding.DecodeString, quantum by quantum: `\r` and `\n` are skipped anywhere, padding is
 * required (padded) or forbidden (raw), and nothing may follow the padding. Offsets are in
 * characters, which equal Go's byte offsets for the ASCII-only inputs that can be valid.
 */
function goBase64Decode(s, padded) {
    const out = [];
    const n = s.length;
    let si = 0;
    while (si < n) {
        const dbuf = [0, 0, 0, 0];
        let dlen = 4;
        let trailingGarbageAt = -1;
        for (let j = 0; j < 4; j++) {
            if (si === n) {
                if (j === 0)
                    return { ok: true, bytes: Uint8Array.from(out) };
                if (j === 1 || padded)
                    return { ok: false, offset: si - j };
                dlen = j;
                break;
            }
            const c = s.charCodeAt(si);
            si++;
            const value = c < 128 ? BASE64_DECODE[c] : -1;
            if (value >= 0) {
                dbuf[j] = value;
                continue;
            }
            if (isNewline(c)) {
                j--;
                continue;
            }
            if (!padded || c !== PAD)
                return { ok: false, offset: si - 1 };
            if (j === 0 || j === 1)
                return { ok: false, offset: si - 1 };
            if (j === 2) {
                while (si < n && isNewline(s.charCodeAt(si)))
                    si++;
                if (si === n)
                    return { ok: false, offset: n };
                if (s.charCodeAt(si) !== PAD)
                    return { ok: false, offset: si - 1 };
                si++;
            }
            while (si < n && isNewline(s.charCodeAt(si)))
                si++;
            if (si < n)
                trailingGarbageAt = si;
            dlen = j;
            break;
        }
        const val = (dbuf[0] << 18) | (dbuf[1] << 12) | (dbuf[2] << 6) | dbuf[3];
        const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
        for (let k = 0; k < dlen - 1; k++)
            out.push(bytes[k]);
        if (trailingGarbageAt >= 0)
            return { ok: false, offset: trailingGarbageAt };
    }
    return { ok: true, bytes: Uint8Array.from(out) };
}
// unicode.IsSpace, which strings.TrimSpace uses; unlike JS's trim it has U+0085 and lacks U+FEFF.
function isGoSpace(c) {
    return ((c >= 9 && c <= 13) ||
        c === 32 ||
        c === 0x85 ||
        c === 0xa0 ||
        c === 0x1680 ||
        (c >= 0x2000 && c <= 0x200a) ||
        c === 0x2028 ||
        c === 0x2029 ||
        c === 0x202f ||
        c === 0x205f ||
        c === 0x3000);
}
function trimmedEndsWithPad(s) {
    let end = s.length;
    while (end > 0 && isGoSpace(s.charCodeAt(end - 1)))
        end--;
    return end > 0 && s.charCodeAt(end - 1) === PAD;
}
/**
 * decodeDockerConfigFieldAuth: padded std base64 when the trimmed value ends in `=`, unpadded
 * otherwise (the untrimmed value is decoded, so a trailing space fails); split on the first colon.
 */
function decodeAuthField(s) {
    const decoded = goBase64Decode(s, trimmedEndsWithPad(s));
    if (!decoded.ok)
        return { ok: false, error: `illegal base64 data at input byte ${decoded.offset}` };
    const text = Buffer.from(decoded.bytes).toString('utf8');
    const colon = text.indexOf(':');
    if (colon < 0)
        return { ok: false, error: AUTH_FIELD_FORMAT_ERROR };
    return { ok: true, username: text.slice(0, colon), password: text.slice(colon + 1) };
}
class JsonSyntaxError extends Error {
}
// encoding/json's scanner limit.
const MAX_NESTING_DEPTH = 10000;
function syntaxError(offset) {
    return new JsonSyntaxError(`invalid JSON at offset ${offset}`);
}
const SIMPLE_ESCAPES = new Map([
    ['"', '"'],
    ['\\', '\\'],
    ['/', '/'],
    ['b', '\b'],
    ['f', '\f'],
    ['n', '\n'],
    ['r', '\r'],
    ['t', '\t'],
]);
function isHexDigit(c) {
    return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
function isDigit(c) {
    return c >= 48 && c <= 57;
}
/** Iterative, so deep nesting fails with Go's depth limit instead of a stack overflow. */
function parseJson(text) {
    let i = 0;
    const n = text.length;
    const stack = [];
    const fail = (at = i) => {
        throw at >= n ? new JsonSyntaxError('unexpected end of JSON input') : syntaxError(at);
    };
    const skipWhitespace = () => {
        while (i < n) {
            const c = text.charCodeAt(i);
            if (c === 32 || c === 9 || c === 10 || c === 13)
                i++;
            else
                break;
        }
    };
    const hex4At = (at) => {
        if (at + 4 > n)
            return -1;
        for (let k = 0; k < 4; k++)
            if (!isHexDigit(text.charCodeAt(at + k)))
                return -1;
        return parseInt(text.slice(at, at + 4), 16);
    };
    const readString = () => {
        i++; // the opening quote
        let out = '';
        let start = i;
        while (true) {
            if (i >= n)
                fail();
            const c = text.charCodeAt(i);
            if (c === 34) {
                out += text.slice(start, i);
                i++;
                return out;
            }
            if (c < 0x20)
                fail();
            if (c !== 92) {
                i++;
                continue;
            }
            out += text.slice(start, i);
            i++;
            if (i >= n)
                fail();
            const simple = SIMPLE_ESCAPES.get(text[i]);
            if (simple !== undefined) {
                out += simple;
                i++;
            }
            else if (text[i] === 'u') {
                for (let k = 1; k <= 4; k++)
                    if (!isHexDigit(text.charCodeAt(i + k)))
                        fail(i + k);
                const code = parseInt(text.slice(i + 1, i + 5), 16);
                i += 5;
                if (code >= 0xd800 && code < 0xdc00 && text.startsWith('\\u', i)) {
                    const low = hex4At(i + 2);
                    if (low >= 0xdc00 && low < 0xe000) {
                        out += String.fromCharCode(code, low);
                        i += 6;
                    }
                    else {
                        out += '\ufffd';
                    }
                }
                else if (code >= 0xd800 && code < 0xe000) {
                    // Go replaces an unpaired surrogate with U+FFFD.
                    out += '\ufffd';
                }
                else {
                    out += String.fromCharCode(code);
                }
            }
            else {
                fail();
            }
            start = i;
        }
    };
    // Go's scanner grammar; whatever follows the number is judged as the next token.
    const readNumber = () => {
        if (text.charCodeAt(i) === 45)
            i++;
        if (i >= n || !isDigit(text.charCodeAt(i)))
            fail();
        if (text.charCodeAt(i) === 48)
            i++;
        else
            while (i < n && isDigit(text.charCodeAt(i)))
                i++;
        if (text.charCodeAt(i) === 46) {
            i++;
            if (i >= n || !isDigit(text.charCodeAt(i)))
                fail();
            while (i < n && isDigit(text.charCodeAt(i)))
                i++;
        }
        if (text[i] === 'e' || text[i] === 'E') {
            i++;
            if (text[i] === '+' || text[i] === '-')
                i++;
            if (i >= n || !isDigit(text.charCodeAt(i)))
                fail();
            while (i < n && isDigit(text.charCodeAt(i)))
                i++;
        }
    };
    const readLiteral = (word) => {
        for (let k = 0; k < word.length; k++)
            if (text[i + k] !== word[k])
                fail(i + k);
        i += word.length;
    };
    let root;
    const attach = (value) => {
        const top = stack[stack.length - 1];
        if (top === undefined)
            root = value;
        else if (top.kind === 'object') {
            top.value.members.push([top.key, value]);
            top.key = undefined;
        }
    };
    const push = (frame) => {
        if (stack.length >= MAX_NESTING_DEPTH)
            throw new JsonSyntaxError(`exceeded max depth at offset ${i}`);
        stack.push(frame);
    };
    let expectValue = true;
    while (true) {
        skipWhitespace();
        const top = stack[stack.length - 1];
        if (!expectValue && top === undefined) {
            if (i < n)
                fail();
            return root;
        }
        if (i >= n)
            fail();
        if (expectValue) {
            if (top?.kind === 'object' && top.key === undefined) {
                if (text.charCodeAt(i) !== 34)
                    fail();
                top.key = readString();
                skipWhitespace();
                if (text[i] !== ':')
                    fail();
                i++;
                continue;
            }
            const c = text[i];
            if (c === '{' || c === '[') {
                const frame = c === '{' ? { kind: 'object', value: { kind: 'object', members: [] }, key: undefined } : { kind: 'array', value: { kind: 'array' } };
                push(frame);
                i++;
                skipWhitespace();
                if (text[i] === (c === '{' ? '}' : ']')) {
                    i++;
                    stack.pop();
                    attach(frame.value);
                    expectValue = false;
                }
                continue;
            }
            if (c === '"')
                attach({ kind: 'string', value: readString() });
            else if (c === 't') {
                readLiteral('true');
                attach({ kind: 'bool' });
            }
            else if (c === 'f') {
                readLiteral('false');
                attach({ kind: 'bool' });
            }
            else if (c === 'n') {
                readLiteral('null');
                attach({ kind: 'null' });
            }
            else if (c === '-' || (c >= '0' && c <= '9')) {
                readNumber();
                attach({ kind: 'number' });
            }
            else
                fail();
            expectValue = false;
            continue;
        }
        const c = text[i];
        if (c === ',' && top !== undefined) {
            i++;
            expectValue = true;
            continue;
        }
        if (top !== undefined && ((c === '}' && top.kind === 'object') || (c === ']' && top.kind === 'array'))) {
            i++;
            stack.pop();
            attach(top.value);
            continue;
        }
        fail();
    }
}
// ---------------------------------------------------------------------------------------------
// encoding/json's mapping onto the Go types
class JsonDecodeError extends Error {
}
function typeError(value, target) {
    return new JsonDecodeError(`json: cannot unmarshal ${value.kind} into ${target}`);
}
/**
 * Go matches a JSON key to a struct field case-insensitively (exact match preferred, which only
 * matters when two fields fold alike: none do here). Folding is per rune, upper(lower(r)), so the
 * Kelvin sign and long s fold to k and s; full-case expansions such as ß → SS do not apply.
 */
function foldName(key) {
    let out = '';
    for (const ch of key) {
        const code = ch.charCodeAt(0);
        if (code < 0x80) {
            out += code >= 97 && code <= 122 ? String.fromCharCode(code - 32) : ch;
            continue;
        }
        const lower = ch.toLowerCase();
        const simpleLower = [...lower].length === 1 ? lower : ch;
        const upper = simpleLower.toUpperCase();
        out += [...upper].length === 1 ? upper : simpleLower;
    }
    return out;
}
const FOLDED_USERNAME = foldName('username');
const FOLDED_PASSWORD = foldName('password');
const FOLDED_EMAIL = foldName('email');
const FOLDED_AUTH = foldName('auth');
const FOLDED_AUTHS = foldName('auths');
const FOLDED_HTTP_HEADERS = foldName('HttpHeaders');
const ENTRY_TYPE = 'credentialprovider.dockerConfigEntryWithAuth';
/** DockerConfigEntry.UnmarshalJSON: only username, password, email and auth are read. */
function decodeEntry(value) {
    const entry = { username: '', password: '', email: '', fromAuth: false, fields: [], tokens: [] };
    // A null entry still becomes a (credential-less) entry: UnmarshalJSON("null") is a no-op.
    if (value.kind === 'null')
        return entry;
    if (value.kind !== 'object')
        throw typeError(value, `Go value of type ${ENTRY_TYPE}`);
    let auth = '';
    const seen = new Set();
    let firstTypeError;
    for (const [key, member] of value.members) {
        const lowered = key.toLowerCase();
        if (!seen.has(lowered)) {
            seen.add(lowered);
            entry.fields.push(lowered);
        }
        if ((lowered === 'identitytoken' || lowered === 'registrytoken') && member.kind === 'string' && member.value !== '')
            entry.tokens.push(member.value);
        const folded = foldName(key);
        const field = folded === FOLDED_USERNAME ? 'username' : folded === FOLDED_PASSWORD ? 'password' : folded === FOLDED_EMAIL ? 'email' : folded === FOLDED_AUTH ? 'auth' : undefined;
        if (field === undefined || member.kind === 'null')
            continue;
        if (member.kind !== 'string') {
            // Go keeps decoding after a type error and reports the first one at the end.
            firstTypeError ??= typeError(member, `Go struct field dockerConfigEntryWithAuth.${field} of type string`);
            continue;
        }
        if (field === 'auth')
            auth = member.value;
        else
            entry[field] = member.value;
    }
    if (firstTypeError !== undefined)
        throw firstTypeError;
    if (auth === '')
        return entry;
    const decoded = decodeAuthField(auth);
    if (!decoded.ok)
        throw new JsonDecodeError(decoded.error);
    entry.username = decoded.username;
    entry.password = decoded.password;
    entry.fromAuth = true;
    return entry;
}
/** Go reuses an existing map when the same field appears again, so entries accumulate. */
function decodeConfigMapInto(target, value) {
    for (const [key, member] of value.members)
        target.set(key, decodeEntry(member));
}
function runDecoder(text, decode) {
    let root;
    try {
        root = parseJson(text);
    }
    catch (error) {
        if (error instanceof JsonSyntaxError || error instanceof JsonDecodeError)
            return { ok: false, error: error.message, apiRejects: true };
        throw error;
    }
    try {
        return decode(root);
    }
    catch (error) {
        if (error instanceof JsonSyntaxError || error instanceof JsonDecodeError)
            return { ok: false, error: error.message, apiRejects: root.kind !== 'object' && root.kind !== 'null' };
        throw error;
    }
}
/** The `.dockerconfigjson` format (DockerConfigJSON): only `auths` is read. */
function dockerconfig_decodeDockerConfigJson(text) {
    return runDecoder(text, (root) => {
        if (root.kind === 'null')
            return { ok: true, entries: [], noAuthsWrapper: true };
        if (root.kind !== 'object')
            throw typeError(root, 'Go value of type credentialprovider.DockerConfigJSON');
        let auths;
        const stores = [];
        for (const [key, member] of root.members) {
            const folded = foldName(key);
            // Not fields of DockerConfigJSON (ignored by the decoder), but they explain empty entries.
            if (key === 'credsStore' && member.kind === 'string' && member.value !== '')
                stores.push(`credsStore "${member.value}"`);
            if (key === 'credHelpers' && member.kind === 'object' && member.members.length > 0)
                stores.push('credHelpers');
            if (folded === FOLDED_AUTHS) {
                if (member.kind === 'null')
                    auths = undefined;
                else if (member.kind === 'object')
                    decodeConfigMapInto((auths ??= new Map()), member);
                else
                    throw typeError(member, 'Go struct field DockerConfigJSON.auths of type credentialprovider.DockerConfig');
            }
            else if (folded === FOLDED_HTTP_HEADERS) {
                // Not used, but decoded: a wrong type here still fails the whole secret.
                if (member.kind === 'null')
                    continue;
                if (member.kind !== 'object')
                    throw typeError(member, 'Go struct field DockerConfigJSON.HttpHeaders of type map[string]string');
                for (const [, header] of member.members) {
                    if (header.kind !== 'string' && header.kind !== 'null')
                        throw typeError(header, 'Go struct field DockerConfigJSON.HttpHeaders of type string');
                }
            }
        }
        const found = auths === undefined ? { ok: true, entries: [], noAuthsWrapper: true } : { ok: true, entries: [...auths] };
        if (stores.length)
            found.credentialStores = stores;
        return found;
    });
}
/** The legacy `.dockercfg` format (DockerConfig): a flat map of registry key → entry. */
function dockerconfig_decodeDockerCfg(text) {
    return runDecoder(text, (root) => {
        if (root.kind === 'null')
            return { ok: true, entries: [] };
        if (root.kind !== 'object')
            throw typeError(root, 'Go value of type credentialprovider.DockerConfig');
        const entries = new Map();
        decodeConfigMapInto(entries, root);
        return { ok: true, entries: [...entries] };
    });
}

;// CONCATENATED MODULE: ./build/model/tokens.js
// Access tokens recognised by their prefix: a credential that holds one is a secret wherever it is
// written (a token pasted as the username is masked like a password).
const DOCKER_HUB_TOKENS = ['dckr_pat_', 'dckr_oat_'];
const GITHUB_TOKENS = ['ghp_', 'github_pat_', 'gho_', 'ghu_', 'ghs_', 'ghr_'];
/** GitLab personal, project and group (glpat-) and deploy (gldt-) tokens. */
const GITLAB_TOKENS = ['glpat-', 'gldt-'];
const TOKENS = [...DOCKER_HUB_TOKENS, ...GITHUB_TOKENS, ...GITLAB_TOKENS];
/** Whether a value starts as an access token of Docker Hub, GitHub or GitLab does (and goes on after the prefix), white space around it aside. */
function looksLikeToken(value) {
    const v = value.trim();
    return TOKENS.some((p) => v.length > p.length && v.startsWith(p));
}
/** Keys whose values are credentials, in values shown as written: password, token, auth, secret, credentials, apiKey… */
const CREDENTIAL_KEY = /pass|token|auth|secret|cred|key/i;

;// CONCATENATED MODULE: ./build/model/keyring.js
// Registry keys and credential lookup: a port of pkg/credentialprovider/keyring.go
// (BasicDockerKeyring.Add/Lookup, URLsMatch, isDefaultRegistryMatch) and secrets/secrets.go
// (MakeDockerKeyring), with the parts of Go's net/url, net.SplitHostPort and path/filepath.Match
// that decide which keys are kept and which images they cover.


function isAlnum(c) {
    return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}
function isHex(c) {
    return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}
const HOST_ALLOWED = new Set("!$&'()*+,;=:[]<>\"".split('').map((ch) => ch.charCodeAt(0)));
const UNRESERVED_MARKS = new Set('-_.~'.split('').map((ch) => ch.charCodeAt(0)));
/** url.shouldEscape, for the host and zone modes, the only ones where it can fail a parse. */
function hostCharNeedsEscape(c) {
    return !(isAlnum(c) || HOST_ALLOWED.has(c) || UNRESERVED_MARKS.has(c));
}
/** `s` with its %XX escapes decoded as url.Parse decodes a path (bytes read as UTF-8), or as written when it does not decode. */
function percentDecoded(s) {
    return keyring_unescape(s, 'path') ?? s;
}
/** url.unescape: undefined where Go returns an error. */
function keyring_unescape(s, mode) {
    let hasPercent = false;
    for (let i = 0; i < s.length;) {
        const c = s.charCodeAt(i);
        if (c === 37) {
            hasPercent = true;
            if (i + 2 >= s.length || !isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2)))
                return undefined;
            const byte = parseInt(s.slice(i + 1, i + 3), 16);
            // Hosts may only %-encode non-ASCII bytes, except %25 which introduces an IPv6 zone.
            if (mode === 'host' && byte < 0x80 && s.slice(i, i + 3) !== '%25')
                return undefined;
            if (mode === 'zone' && s.slice(i, i + 3) !== '%25' && byte !== 32 && hostCharNeedsEscape(byte))
                return undefined;
            i += 3;
            continue;
        }
        if ((mode === 'host' || mode === 'zone') && c < 0x80 && hostCharNeedsEscape(c))
            return undefined;
        i++;
    }
    if (!hasPercent)
        return s;
    const parts = [];
    let run = 0;
    for (let i = 0; i < s.length;) {
        if (s.charCodeAt(i) === 37) {
            if (run < i)
                parts.push(Buffer.from(s.slice(run, i), 'utf8'));
            parts.push(Buffer.from([parseInt(s.slice(i + 1, i + 3), 16)]));
            i += 3;
            run = i;
        }
        else
            i++;
    }
    if (run < s.length)
        parts.push(Buffer.from(s.slice(run), 'utf8'));
    return Buffer.concat(parts).toString('utf8');
}
function validOptionalPort(port) {
    if (port === '')
        return true;
    if (port[0] !== ':')
        return false;
    for (let i = 1; i < port.length; i++) {
        const c = port.charCodeAt(i);
        if (c < 48 || c > 57)
            return false;
    }
    return true;
}
/** node:net, loaded when a key holds a bracketed address, not at start-up. */
let isIPv6;
/** netip.ParseAddr(...) succeeds and is not plain IPv4: what Go 1.25+ requires inside brackets. */
function isBracketableAddress(address) {
    const percent = address.indexOf('%');
    if (percent === 0 || percent === address.length - 1)
        return false;
    isIPv6 ??= process.getBuiltinModule('node:net').isIPv6;
    return isIPv6(percent < 0 ? address : address.slice(0, percent));
}
/**
 * url.parseHost. Recent Go releases (CVE-2025-47912, CVE-2026-25679) only accept an IPv6 address
 * inside brackets, and only at the start of the host; the kubelet is built with those releases.
 */
function parseHost(host) {
    if (host.startsWith('[')) {
        const close = host.lastIndexOf(']');
        if (close < 0)
            return undefined;
        const colonPort = host.slice(close + 1);
        if (!validOptionalPort(colonPort))
            return undefined;
        const inner = host.slice(1, close);
        const zone = inner.indexOf('%25');
        const address = zone < 0 ? keyring_unescape(inner, 'host') : joinDefined(keyring_unescape(inner.slice(0, zone), 'host'), keyring_unescape(inner.slice(zone), 'zone'));
        if (address === undefined || !isBracketableAddress(address))
            return undefined;
        return `[${address}]${colonPort}`;
    }
    if (host.includes('['))
        return undefined;
    const colon = host.lastIndexOf(':');
    if (colon !== -1 && !validOptionalPort(host.slice(colon)))
        return undefined;
    return keyring_unescape(host, 'host');
}
function joinDefined(a, b) {
    return a === undefined || b === undefined ? undefined : a + b;
}
const USERINFO_ALLOWED = new Set("-._:~!$&'()*+,;=%@".split('').map((ch) => ch.charCodeAt(0)));
function parseAuthority(authority) {
    const at = authority.lastIndexOf('@');
    const host = parseHost(at < 0 ? authority : authority.slice(at + 1));
    if (host === undefined || at < 0)
        return host;
    const userinfo = authority.slice(0, at);
    for (let i = 0; i < userinfo.length; i++) {
        const c = userinfo.charCodeAt(i);
        if (!isAlnum(c) && !USERINFO_ALLOWED.has(c))
            return undefined;
    }
    const colon = userinfo.indexOf(':');
    const parts = colon < 0 ? [userinfo] : [userinfo.slice(0, colon), userinfo.slice(colon + 1)];
    return parts.every((part) => keyring_unescape(part, 'userPassword') !== undefined) ? host : undefined;
}
/** url.Parse for absolute URLs; undefined where Go returns an error. */
function goUrlParse(raw) {
    const hash = raw.indexOf('#');
    const u = hash < 0 ? raw : raw.slice(0, hash);
    const fragment = hash < 0 ? '' : raw.slice(hash + 1);
    for (let i = 0; i < u.length; i++) {
        const c = u.charCodeAt(i);
        if (c < 0x20 || c === 0x7f)
            return undefined;
    }
    let rest = u;
    let hasScheme = false;
    for (let i = 0; i < u.length; i++) {
        const c = u.charCodeAt(i);
        if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122))
            continue;
        if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) {
            if (i === 0)
                break;
            continue;
        }
        if (c === 58) {
            if (i === 0)
                return undefined;
            hasScheme = true;
            rest = u.slice(i + 1);
        }
        break;
    }
    if (fragment !== '' && keyring_unescape(fragment, 'fragment') === undefined)
        return undefined;
    const question = rest.indexOf('?');
    if (question >= 0)
        rest = rest.slice(0, question);
    let host = '';
    if (!rest.startsWith('/')) {
        // An opaque URL (scheme:rest) has neither host nor path.
        if (hasScheme)
            return { host: '', path: '' };
        const firstSegment = rest.split('/', 1)[0];
        if (firstSegment.includes(':'))
            return undefined;
    }
    if ((hasScheme || !rest.startsWith('///')) && rest.startsWith('//')) {
        let authority = rest.slice(2);
        rest = '';
        const slash = authority.indexOf('/');
        if (slash >= 0) {
            rest = authority.slice(slash);
            authority = authority.slice(0, slash);
        }
        const parsedHost = parseAuthority(authority);
        if (parsedHost === undefined)
            return undefined;
        host = parsedHost;
    }
    const path = keyring_unescape(rest, 'path');
    return path === undefined ? undefined : { host, path };
}
/** net.SplitHostPort; undefined on its errors (no port, too many colons, stray brackets). */
function splitHostPort(hostport) {
    const i = hostport.lastIndexOf(':');
    if (i < 0)
        return undefined;
    let host;
    let j = 0;
    let k = 0;
    if (hostport[0] === '[') {
        const end = hostport.indexOf(']');
        if (end < 0 || end + 1 === hostport.length || end + 1 !== i)
            return undefined;
        host = hostport.slice(1, end);
        j = 1;
        k = end + 1;
    }
    else {
        host = hostport.slice(0, i);
        if (host.includes(':'))
            return undefined;
    }
    if (hostport.indexOf('[', j) >= 0 || hostport.indexOf(']', k) >= 0)
        return undefined;
    return { host, port: hostport.slice(i + 1) };
}
function scanChunk(pattern) {
    let p = 0;
    let star = false;
    while (p < pattern.length && pattern[p] === '*') {
        p++;
        star = true;
    }
    let inRange = false;
    let i = p;
    scan: for (; i < pattern.length; i++) {
        switch (pattern[i]) {
            case '\\':
                if (i + 1 < pattern.length)
                    i++;
                break;
            case '[':
                inRange = true;
                break;
            case ']':
                inRange = false;
                break;
            case '*':
                if (!inRange)
                    break scan;
                break;
        }
    }
    return { star, chunk: pattern.slice(p, i), rest: pattern.slice(i) };
}
function getEsc(chunk, at) {
    let i = at;
    if (i >= chunk.length || chunk[i] === '-' || chunk[i] === ']')
        return undefined;
    if (chunk[i] === '\\') {
        i++;
        if (i >= chunk.length)
            return undefined;
    }
    const rune = chunk[i].codePointAt(0);
    i++;
    if (i >= chunk.length)
        return undefined;
    return { rune, next: i };
}
function matchChunk(chunk, s) {
    // After a mismatch Go keeps walking the chunk so a malformed pattern is still reported.
    let failed = false;
    let si = 0;
    let ci = 0;
    while (ci < chunk.length) {
        if (!failed && si >= s.length)
            failed = true;
        const c = chunk[ci];
        if (c === '[') {
            let rune = 0;
            if (!failed) {
                rune = s[si].codePointAt(0);
                si++;
            }
            ci++;
            let negated = false;
            if (ci < chunk.length && chunk[ci] === '^') {
                negated = true;
                ci++;
            }
            let match = false;
            let ranges = 0;
            while (true) {
                if (ci < chunk.length && chunk[ci] === ']' && ranges > 0) {
                    ci++;
                    break;
                }
                const lo = getEsc(chunk, ci);
                if (lo === undefined)
                    return { ok: false, bad: true };
                ci = lo.next;
                let hi = lo.rune;
                if (chunk[ci] === '-') {
                    const h = getEsc(chunk, ci + 1);
                    if (h === undefined)
                        return { ok: false, bad: true };
                    hi = h.rune;
                    ci = h.next;
                }
                if (lo.rune <= rune && rune <= hi)
                    match = true;
                ranges++;
            }
            if (match === negated)
                failed = true;
            continue;
        }
        if (c === '?') {
            if (!failed) {
                if (s[si] === '/')
                    failed = true;
                si++;
            }
            ci++;
            continue;
        }
        if (c === '\\') {
            ci++;
            if (ci >= chunk.length)
                return { ok: false, bad: true };
        }
        if (!failed) {
            if (chunk[ci] !== s[si])
                failed = true;
            si++;
        }
        ci++;
    }
    return failed ? { ok: false, bad: false } : { ok: true, rest: s.slice(si) };
}
const GLOB_SPECIALS = /[*?[\\]/;
/** filepath.Match: true/false, or undefined for a malformed pattern (ErrBadPattern). */
function filepathMatch(patternText, nameText) {
    if (!GLOB_SPECIALS.test(patternText))
        return patternText === nameText;
    let pattern = [...patternText];
    let name = [...nameText];
    outer: while (pattern.length > 0) {
        const scanned = scanChunk(pattern);
        const { star, chunk } = scanned;
        pattern = scanned.rest;
        if (star && chunk.length === 0)
            return !name.includes('/');
        const here = matchChunk(chunk, name);
        if (here.ok && (here.rest.length === 0 || pattern.length > 0)) {
            name = here.rest;
            continue;
        }
        if (!here.ok && here.bad)
            return undefined;
        if (star) {
            for (let i = 0; i < name.length && name[i] !== '/'; i++) {
                const later = matchChunk(chunk, name.slice(i + 1));
                if (later.ok) {
                    if (pattern.length === 0 && later.rest.length > 0)
                        continue;
                    name = later.rest;
                    continue outer;
                }
                if (later.bad)
                    return undefined;
            }
        }
        while (pattern.length > 0) {
            const next = scanChunk(pattern);
            pattern = next.rest;
            const check = matchChunk(next.chunk, []);
            if (!check.ok && check.bad)
                return undefined;
        }
        return false;
    }
    return name.length === 0;
}
/** ParseSchemelessURL + SplitURL; undefined where url.Parse fails. */
function parseSchemelessUrl(s) {
    // The same keys and repositories are matched again and again: parse each once (results are
    // never mutated by the callers).
    const cached = parsedUrls.get(s);
    if (cached !== undefined || parsedUrls.has(s))
        return cached;
    if (parsedUrls.size >= PARSED_URLS_MAX)
        parsedUrls.clear();
    const url = goUrlParse(`https://${s}`);
    let parsed;
    if (url !== undefined) {
        const split = splitHostPort(url.host);
        const host = split === undefined ? url.host : split.host;
        parsed = { labels: host.split('.'), port: split === undefined ? '' : split.port, path: url.path };
    }
    parsedUrls.set(s, parsed);
    return parsed;
}
const PARSED_URLS_MAX = 100_000;
const parsedUrls = new Map();
/** URLsMatch: equal ports, equal label counts, a plain-prefix path, and a glob match per label. */
function urlsMatch(glob, target) {
    if (glob.port !== target.port)
        return false;
    if (glob.labels.length !== target.labels.length)
        return false;
    if (!target.path.startsWith(glob.path))
        return false;
    for (let i = 0; i < glob.labels.length; i++) {
        if (filepathMatch(glob.labels[i], target.labels[i]) !== true)
            return false;
    }
    return true;
}
/** URLsMatchStr: false when either side fails to parse. */
function urlsMatchStr(glob, target) {
    const globUrl = parseSchemelessUrl(glob);
    if (globUrl === undefined)
        return false;
    const targetUrl = parseSchemelessUrl(target);
    return targetUrl !== undefined && urlsMatch(globUrl, targetUrl);
}
/** isDefaultRegistryMatch: whether an image string names Docker Hub, by its first segment. */
function isDefaultRegistryMatch(image) {
    const slash = image.indexOf('/');
    const first = slash < 0 ? image : image.slice(0, slash);
    if (first === '')
        return false;
    if (slash < 0)
        return true;
    if (first === 'docker.io' || first === 'index.docker.io')
        return true;
    return !first.includes('.') && !first.includes(':');
}
/** Text that reads as a registry host: a domain, a port, an IPv6 literal, or localhost. */
const HOST_LIKE = /[.:[]|^localhost$/i;
/**
 * The userinfo a registry key is written with (`https://bot:pass@quay.io`, `token@ghcr.io`): the
 * kubelet ignores it, but it is a credential. Go's url.Parse ends the authority at the first `/`,
 * `?` or `#` and the userinfo at its last `@`. A secret holding one of those (`bot:Xy9/Qw8@quay.io`,
 * `bot:98765?q@ghcr.io`, which url.Parse misreads) still counts, up to the key's last `@`, when a
 * `:` comes before it, a host (a `.`, a port, `localhost`, `[`) follows, or no host comes before
 * it: hidden too much rather than too little. Undefined when the key has none.
 */
function keyUserinfo(rawKey) {
    const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(rawKey)?.[0] ?? '';
    const body = rawKey.slice(scheme.length);
    const stop = body.search(/[/?#]/);
    let at = (stop < 0 ? body : body.slice(0, stop)).lastIndexOf('@');
    const last = body.lastIndexOf('@');
    if (stop >= 0 && last > stop) {
        const colon = body.indexOf(':');
        const hostAfter = HOST_LIKE.test(body.slice(last + 1).split(/[/?#]/)[0]);
        // `bot:p@ss/w0rd@ghcr.io`: url.Parse's userinfo ends at the first @, yet a host follows the last.
        if (at >= 0) {
            if (hostAfter)
                at = last;
        }
        else if ((colon >= 0 && colon < stop) || hostAfter || !HOST_LIKE.test(body.slice(0, stop))) {
            // …or what comes before the stop is no host (`tok3n/S3cr3t@myreg`).
            at = last;
        }
    }
    if (at < 0)
        return undefined;
    const userinfo = body.slice(0, at);
    const sep = userinfo.indexOf(':');
    return sep < 0 ? { scheme, secret: userinfo, rest: body.slice(at) } : { scheme, user: userinfo.slice(0, sep), secret: userinfo.slice(sep + 1), rest: body.slice(at) };
}
/**
 * Whether the user part of a key's userinfo is a credential too: an access token (`ghp_…:x-oauth-basic@`,
 * the form git and GitHub take), or, when the password is empty (`TOKEN:@`), a user as long as a
 * token (a short one, `deploy:@`, is a name, and masked it would hide that word everywhere).
 */
function userIsSecret(u) {
    return u.user !== undefined && (looksLikeToken(u.user) || (u.secret === '' && u.user.length >= 16));
}
/**
 * A registry key as messages show it: the secret of its userinfo (keyUserinfo: the password of
 * `user:password@`, a lone `token@` whole, the user too when it is a credential: userIsSecret)
 * written `***` whatever its length (the secret masker leaves values shorter than 4 characters
 * alone).
 */
function shownKey(rawKey) {
    const u = keyUserinfo(rawKey);
    return u === undefined ? hiddenQuery(rawKey) : `${u.scheme}${u.user === undefined || userIsSecret(u) ? '' : `${u.user}:`}***${hiddenQuery(u.rest)}`;
}
/**
 * A key's query and fragment as `?***` and `#***`: url.Parse drops them, so they name no registry,
 * and they may carry a credential (`reg.example.com?token=…`).
 */
function hiddenQuery(key) {
    const at = key.search(/[?#]/);
    return at < 0 ? key : `${key.slice(0, at + 1)}***`;
}
/**
 * A normalised key (normalizeKey) as messages show it: itself, unless url.Parse took part of a
 * userinfo secret for the host (`bot:98765?q@ghcr.io` is the host `bot:98765`), when the raw key is
 * shown, its secret hidden (shownKey).
 */
function shownNormalizedKey(rawKey, key) {
    const u = keyUserinfo(rawKey);
    if (u === undefined)
        return key ?? rawKey;
    const host = u.rest.slice(1).split(/[/?#]/)[0];
    return key !== undefined && key.startsWith(host) ? key : shownKey(rawKey);
}
/**
 * BasicDockerKeyring.Add's key normalisation: scheme added when missing, url.Parse (a failure
 * means the entry is skipped), a leading /v1/ or /v2/ reduced to /, then host[:port] plus the
 * path unless it is empty or '/'.
 */
function normalizeKey(key) {
    const value = key.startsWith('https://') || key.startsWith('http://') ? key : `https://${key}`;
    const parsed = goUrlParse(value);
    if (parsed === undefined)
        return undefined;
    let effectivePath = parsed.path;
    if (effectivePath.startsWith('/v2/') || effectivePath.startsWith('/v1/'))
        effectivePath = effectivePath.slice(3);
    return effectivePath.length > 0 && effectivePath !== '/' ? parsed.host + effectivePath : parsed.host;
}
/** The key whose credentials the Docker Hub fallback returns (defaultRegistryHost). */
const DEFAULT_REGISTRY_HOST = 'index.docker.io';
const nonAscii = /[\u0080-\uffff]/;
/** Go's sort.Strings order: bytewise over UTF-8, which UTF-16 order breaks above U+D7FF. */
function compareGo(a, b) {
    if (!nonAscii.test(a) && !nonAscii.test(b))
        return a < b ? -1 : a > b ? 1 : 0;
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
/** BasicDockerKeyring: credentials under normalised keys, looked up in reverse-sorted key order. */
class Keyring {
    entries = new Map();
    sorted;
    /** Returns false when the key is invalid and skipped, as the kubelet does. */
    add(rawKey, cred) {
        const key = normalizeKey(rawKey);
        if (key === undefined)
            return false;
        let entry = this.entries.get(key);
        if (entry === undefined) {
            entry = { key, glob: parseSchemelessUrl(key), creds: [] };
            this.entries.set(key, entry);
            this.sorted = undefined;
        }
        entry.creds.push(cred);
        return true;
    }
    /**
     * Every matching key's credentials, most specific key first; the credentials stored under
     * exactly `index.docker.io` only when nothing matched and the image names Docker Hub.
     */
    lookup(image) {
        const target = parseSchemelessUrl(image);
        const found = [];
        if (target !== undefined) {
            for (const entry of this.index()) {
                if (entry.glob !== undefined && urlsMatch(entry.glob, target))
                    found.push(...entry.creds);
            }
        }
        if (found.length > 0)
            return found;
        const fallback = this.entries.get(DEFAULT_REGISTRY_HOST);
        if (fallback !== undefined && isDefaultRegistryMatch(image))
            return [...fallback.creds];
        return [];
    }
    /** Normalised keys, reverse-sorted, deduplicated. */
    keys() {
        return this.index().map((entry) => entry.key);
    }
    index() {
        this.sorted ??= [...this.entries.values()].sort((a, b) => compareGo(b.key, a.key));
        return this.sorted;
    }
}
/** UnionDockerKeyring.Lookup: each keyring's results in turn; absent keyrings are skipped. */
function unionLookup(keyrings, image) {
    const found = [];
    for (const keyring of keyrings)
        if (keyring)
            found.push(...keyring.lookup(image));
    return found;
}
/** Whether a lookup of `repository` in a keyring holding only this key returns its credential. */
function keyCovers(normalizedKey, repository) {
    if (urlsMatchStr(normalizedKey, repository))
        return true;
    return normalizedKey === DEFAULT_REGISTRY_HOST && isDefaultRegistryMatch(repository);
}
function plural(count, word) {
    return `${count} ${word}${count === 1 ? '' : 's'}`;
}
/** A short reason why `normalizedKey` does not cover `repository`, most telling first. */
function explainMiss(normalizedKey, repository) {
    const glob = parseSchemelessUrl(normalizedKey);
    if (glob === undefined)
        return `the key ${normalizedKey} cannot be parsed as a URL, so it never matches`;
    const target = parseSchemelessUrl(repository);
    if (target === undefined)
        return `the image ${repository} cannot be parsed as a URL, so no key matches it`;
    if (keyCovers(normalizedKey, repository))
        return 'the key covers this image';
    const globHost = glob.labels.join('.');
    if (isDefaultRegistryMatch(repository)) {
        if (globHost === DEFAULT_REGISTRY_HOST && glob.port === '' && (glob.path === '/v1' || glob.path === '/v2')) {
            return `the key https://index.docker.io${glob.path} (without the trailing slash) is stored as index.docker.io${glob.path} and never matches Docker Hub images; write https://index.docker.io${glob.path}/ or docker.io`;
        }
        if (globHost === DEFAULT_REGISTRY_HOST && glob.port === '' && glob.path !== '') {
            // index.docker.io matches Docker Hub images only through the fallback, which takes the exact key.
            return `the kubelet's Docker Hub fallback takes only the exact key index.docker.io, and this key has the path ${glob.path}; write docker.io${glob.path}`;
        }
        if (globHost === 'registry-1.docker.io') {
            return 'registry-1.docker.io never matches Docker Hub images, which the kubelet looks up as docker.io/…; write docker.io or https://index.docker.io/v1/';
        }
    }
    if (glob.port !== target.port) {
        if (target.port === '')
            return `the key has port ${glob.port} but the image has none`;
        if (glob.port === '')
            return `the key has no port but the image has port ${target.port}`;
        return `the key has port ${glob.port} but the image has port ${target.port}`;
    }
    if (glob.labels.length !== target.labels.length) {
        return `the key has ${plural(glob.labels.length, 'host label')} but the image's registry has ${target.labels.length}`;
    }
    if (!target.path.startsWith(glob.path)) {
        return `the key's path ${glob.path} is not a prefix of the image path ${target.path === '' ? '(empty)' : target.path}`;
    }
    for (let i = 0; i < glob.labels.length; i++) {
        const matched = filepathMatch(glob.labels[i], target.labels[i]);
        if (matched === undefined)
            return `host label pattern '${glob.labels[i]}' is malformed, so it never matches`;
        if (!matched) {
            // Only when the whole host matches but for letter case (the port and path matched above).
            if (glob.labels.every((g, j) => filepathMatch(g.toLowerCase(), target.labels[j].toLowerCase()) === true)) {
                return `host label '${glob.labels[i]}' differs from '${target.labels[i]}' only in letter case, which the kubelet's keyring does not ignore (write the key's host and the image's registry alike)`;
            }
            return `host label '${glob.labels[i]}' does not match '${target.labels[i]}'`;
        }
    }
    return 'the key does not match this image';
}
/**
 * How many of (port, label count, labels, path) fail. With unequal label counts the labels are
 * compared right-aligned, so gcr.io is nearer to us.gcr.io than quay.io is.
 */
function missScore(glob, target) {
    let score = 0;
    if (glob.port !== target.port)
        score++;
    if (glob.labels.length !== target.labels.length)
        score++;
    if (!target.path.startsWith(glob.path))
        score++;
    // Every host label that differs counts: a wholly different host is farther than a port miss.
    const overlap = Math.min(glob.labels.length, target.labels.length);
    for (let i = 1; i <= overlap; i++) {
        const g = glob.labels[glob.labels.length - i];
        const t = target.labels[target.labels.length - i];
        // A label that differs only in letter case is nearer than another label.
        if (filepathMatch(g, t) !== true)
            score += filepathMatch(g.toLowerCase(), t.toLowerCase()) === true ? 0.25 : 1;
    }
    return score;
}
const DOCKER_HUB_TRAP = /^(index\.docker\.io|registry-1\.docker\.io|docker\.io)\/v[12]$|^registry-1\.docker\.io$/;
/** A normalised key written for Docker Hub that the kubelet never matches (the usual reason a Hub pull fails). */
function isDockerHubTrapKey(normalizedKey) {
    return DOCKER_HUB_TRAP.test(normalizedKey);
}
/** The key that fails fewest matching criteria for `repository`; the first such key on ties. */
function nearestKey(keys, repository) {
    const target = parseSchemelessUrl(repository);
    if (target === undefined)
        return undefined;
    let best;
    let bestScore = Infinity;
    const dockerHub = repository.startsWith('docker.io/');
    for (const key of keys) {
        if (keyCovers(key, repository))
            return key;
        const glob = parseSchemelessUrl(key);
        if (glob === undefined)
            continue;
        const score = dockerHub && isDockerHubTrapKey(key) ? 0.5 : missScore(glob, target);
        if (score < bestScore) {
            best = key;
            bestScore = score;
        }
    }
    return best;
}
const DOCKER_CONFIG_JSON_TYPE = 'kubernetes.io/dockerconfigjson';
const DOCKERCFG_TYPE = 'kubernetes.io/dockercfg';
function nonEmptyValue(data, key) {
    if (!Object.prototype.hasOwnProperty.call(data, key))
        return undefined;
    const value = data[key];
    return typeof value === 'string' && value.length > 0 ? value : undefined;
}
/**
 * MakeDockerKeyring's secret half: each secret of the exact docker type with its non-empty key
 * is decoded into one shared keyring, in list order; others are ignored, and any decode error
 * fails the whole keyring (the kubelet then attempts no pull at all).
 */
function makeDockerKeyring(secrets) {
    const keyring = new Keyring();
    const used = [];
    for (const secret of secrets) {
        let decoded;
        const configJson = secret.type === DOCKER_CONFIG_JSON_TYPE ? nonEmptyValue(secret.data, '.dockerconfigjson') : undefined;
        if (configJson !== undefined)
            decoded = decodeDockerConfigJson(configJson);
        else {
            const dockercfg = secret.type === DOCKERCFG_TYPE ? nonEmptyValue(secret.data, '.dockercfg') : undefined;
            if (dockercfg === undefined)
                continue;
            decoded = decodeDockerCfg(dockercfg);
        }
        if (!decoded.ok)
            return { ok: false, error: decoded.error, secret: secret.name };
        // Go ranges over a map here, so the order of two raw keys that normalise alike is unspecified.
        for (const [key, entry] of decoded.entries) {
            keyring.add(key, { secret: secret.name, username: entry.username, password: entry.password });
        }
        used.push(secret.name);
    }
    return { ok: true, keyring, used };
}

;// CONCATENATED MODULE: ./build/source/tabs.js
// Tabs that kubectl's YAML parser refuses. goyaml (gopkg.in/yaml.v2 and v3, as libyaml) eats a tab
// between tokens only in a flow collection or where a simple key cannot start: never at the start
// of a line, nor after `-`, `?` or `:` in block context (scannerc.go yaml_parser_scan_to_next_token:
// "found character that cannot start any token"); and a tab inside the indentation of a plain
// scalar's continuation line or of a block scalar is refused too ("found a tab character that
// violates indentation"). js-yaml takes all of these, so a file kubectl rejects would be checked as
// if it applied. Only documents that hold a tab are read here; anything unsure passes (a file that
// kubectl accepts must never be refused).
/**
 * The first tab in text[start, end) that goyaml refuses, and goyaml's words for it, or undefined. A line-based
 * scan of the tokens that matter: flow depth, whether a simple key may start, quoted scalars (over
 * lines), block scalars (by their indentation) and plain scalars that may go on over lines.
 */
function refusedTab(text, start, end) {
    let flow = 0;
    /** goyaml's simple_key_allowed: where it is true in block context, a tab is not eaten. */
    let simpleKey = true;
    /** Inside a quoted scalar that goes on over lines: its quote character. */
    let quote = 0;
    /** Inside a block scalar: its parent's indentation, its indentation (-1 until its first content line). */
    let block;
    /** After a line that ended in a plain scalar (block context): the column its lines must pass to go on with it. */
    let plain;
    for (let ls = start; ls < end;) {
        let le = text.indexOf('\n', ls);
        if (le < 0 || le > end)
            le = end;
        const next = le + 1;
        let p = ls;
        while (p < le && text.charCodeAt(p) === 32)
            p++;
        const indent = p - ls;
        const blank = restIsBlank(text, p, le);
        if (quote !== 0) {
            // Any white space goes in a quoted scalar (goyaml's scan_flow_scalar).
            const close = closingQuote(text, ls, le, quote);
            if (close < 0) {
                ls = next;
                continue;
            }
            quote = 0;
            simpleKey = false;
            p = close + 1;
        }
        else if (block !== undefined) {
            // scan_block_scalar_breaks: a tab in the indentation, before the indentation is known or under it, is refused.
            if (text.charCodeAt(p) === 9 && (block.indent < 0 || indent < block.indent))
                return { offset: p, found: 'a tab character where an indentation space is expected' };
            if (blank) {
                ls = next;
                continue;
            }
            if (block.indent < 0)
                block.indent = Math.max(indent, block.parent + 1);
            if (indent >= block.indent) {
                ls = next;
                continue;
            }
            block = undefined;
            if (flow === 0)
                simpleKey = true;
        }
        else if (plain !== undefined && flow === 0) {
            // A plain scalar goes on over lines indented past its collection; a tab under that is refused.
            if (text.charCodeAt(p) === 9 && indent <= plain)
                return { offset: p, found: 'a tab character that violates indentation' };
            let q = p;
            while (q < le && (text.charCodeAt(q) === 32 || text.charCodeAt(q) === 9))
                q++;
            if (q >= le || text.charCodeAt(q) === 13) {
                ls = next;
                continue;
            }
            if (text.charCodeAt(q) === 35 /* # */) {
                // A comment ends the plain scalar; the tabs before it, past its column, were its white space.
                plain = undefined;
                simpleKey = true;
                ls = next;
                continue;
            }
            if (q - ls > plain) {
                ls = next;
                continue;
            }
            plain = undefined;
            simpleKey = true;
        }
        else if (flow === 0) {
            simpleKey = true;
        }
        plain = undefined;
        // The rest of the line, token by token.
        /** The column of the innermost block collection met on this line (a key's or a `-`'s), or -1. */
        let collection = -1;
        /** The column of the last scalar met (a key when a `:` follows), or of the anchor or tag before it. */
        let scalar = -1;
        /** A simple key came before (a scalar, or a flow collection): the `:` after it allows no other. */
        let hadKey = false;
        /** The column of the first anchor or tag of the node to come (goyaml saves the simple key there). */
        let properties = -1;
        let endsInPlain = false;
        while (p < le) {
            const c = text.charCodeAt(p);
            if (c === 32 || c === 13) {
                p++;
                continue;
            }
            if (c === 9) {
                if (flow > 0 || !simpleKey) {
                    p++;
                    continue;
                }
                return { offset: p, found: 'character that cannot start any token' };
            }
            const column = p - ls;
            const after = p + 1 < le ? text.charCodeAt(p + 1) : 10;
            const blankAfter = after === 32 || after === 9 || after === 10 || after === 13;
            if (c === 35 /* # */)
                break;
            if (column === 0 && (text.startsWith('---', p) || text.startsWith('...', p)) && (p + 3 >= le || isSpace(text.charCodeAt(p + 3)))) {
                simpleKey = false;
                p += 3;
                continue;
            }
            if (column === 0 && c === 37 /* % a directive */)
                break;
            if (c === 45 /* - */ && blankAfter && flow === 0) {
                collection = column;
                simpleKey = true;
                hadKey = false;
                p++;
                continue;
            }
            if (c === 63 /* ? */ && (blankAfter || flow > 0)) {
                simpleKey = flow === 0;
                hadKey = false;
                p++;
                continue;
            }
            if (c === 58 /* : */ && (blankAfter || (flow > 0 && isFlowIndicator(after)))) {
                if (flow === 0 && scalar >= 0)
                    collection = scalar;
                // yaml_parser_fetch_value: after a simple key, no other may start (a tab there is eaten);
                // only the value of a complex key (`? k` then `:`) allows one, in block context.
                simpleKey = flow === 0 && !hadKey;
                hadKey = false;
                p++;
                continue;
            }
            if (c === 91 || c === 123 /* [ { */) {
                flow++;
                simpleKey = true;
                p++;
                continue;
            }
            if (c === 93 || c === 125 /* ] } */) {
                if (flow > 0)
                    flow--;
                simpleKey = false;
                hadKey = flow === 0;
                p++;
                continue;
            }
            if (c === 44 /* , */ && flow > 0) {
                simpleKey = true;
                p++;
                continue;
            }
            if (c === 38 || c === 42 || c === 33 /* & * ! */) {
                if (c !== 42 && properties < 0)
                    properties = column;
                if (c === 42)
                    hadKey = true;
                while (p < le && !isSpace(text.charCodeAt(p)) && text.charCodeAt(p) !== 13 && !(flow > 0 && isFlowIndicator(text.charCodeAt(p))))
                    p++;
                simpleKey = false;
                continue;
            }
            if ((c === 124 || c === 62) /* | > */ && flow === 0) {
                // A block scalar: its header to the end of the line, its content on the lines after.
                let increment = 0;
                for (let q = p + 1; q < le; q++) {
                    const d = text.charCodeAt(q);
                    if (d >= 49 && d <= 57)
                        increment = d - 48;
                    else if (d !== 43 && d !== 45)
                        break;
                }
                // Its parent is the collection it is a value of; without one on this line, the lowest (never too strict).
                const parent = collection;
                block = { parent, indent: increment > 0 ? parent + increment : -1 };
                break;
            }
            if (c === 34 || c === 39 /* " ' */) {
                scalar = properties >= 0 ? properties : column;
                properties = -1;
                hadKey = true;
                const close = closingQuote(text, p + 1, le, c);
                if (close < 0) {
                    quote = c;
                    break;
                }
                simpleKey = false;
                p = close + 1;
                continue;
            }
            // A plain scalar: to `: `, ` #`, the end of the line (or, in a flow collection, an indicator).
            scalar = properties >= 0 ? properties : column;
            properties = -1;
            hadKey = true;
            simpleKey = false;
            let q = p;
            let stopped = false;
            for (; q < le; q++) {
                const d = text.charCodeAt(q);
                const e = q + 1 < le ? text.charCodeAt(q + 1) : 10;
                if (d === 58 && (isSpace(e) || e === 10 || e === 13 || (flow > 0 && isFlowIndicator(e))))
                    break;
                if (d === 35 && isSpace(text.charCodeAt(q - 1)))
                    break;
                if (flow > 0 && isFlowIndicator(d))
                    break;
            }
            stopped = q < le;
            endsInPlain = !stopped && flow === 0;
            p = q;
        }
        // A plain scalar that ends the line may go on over the next ones (past its collection's column;
        // past any column when the line names no collection: never too strict).
        if (endsInPlain)
            plain = collection;
        ls = next;
    }
    return undefined;
}
/** The closing quote of a quoted scalar in text[from, to): `\` escapes in double quotes, `''` in single; -1 when the line does not close it. */
function closingQuote(text, from, to, quote) {
    for (let i = from; i < to; i++) {
        const c = text.charCodeAt(i);
        if (quote === 34 && c === 92) {
            i++;
            continue;
        }
        if (c !== quote)
            continue;
        if (quote === 39 && text.charCodeAt(i + 1) === 39 && i + 1 < to) {
            i++;
            continue;
        }
        return i;
    }
    return -1;
}
function isSpace(c) {
    return c === 32 || c === 9;
}
function isFlowIndicator(c) {
    return c === 44 || c === 91 || c === 93 || c === 123 || c === 125;
}
function restIsBlank(text, i, end) {
    for (; i < end; i++) {
        const c = text.charCodeAt(i);
        if (c !== 32 && c !== 9 && c !== 13)
            return false;
    }
    return true;
}

;// CONCATENATED MODULE: ./build/source/templates.js
/** A Helm or Go template action: what marks the text of a document that does not parse as a template. */
const HELM_TEMPLATE = /\{\{-?\s*(?:\.Values|\.Release|\.Chart|\.Capabilities|\.Files|\$\.Values|include\s|template\s+"|toYaml\b|tpl\s|required\s|default\s)/;
/**
 * Helm's own objects and functions: what makes a one-line value that parses an unrendered Helm
 * template. Not Go's `{{ template "name" . }}` nor sprig's `default`, which other engines read in
 * their own strings too (Alertmanager's `title: '{{ template "slack.default.title" . }}'`).
 */
const HELM_VALUE = /\{\{-?\s*(?:\.Values|\.Release|\.Chart|\.Capabilities|\.Files|\$\.Values|include\s|toYaml\b|tpl\s|required\s)/;
const STRUCTURAL_TEMPLATE = /^[ \t]*(?:-[ \t]+)?(?:[^\s#'"][^:#\n]*:[ \t]+)?\{\{/m;
/** Offset of the first Helm or structural template marker of a document's text, or -1. */
function templateMarkerIn(chunk) {
    const helm = HELM_TEMPLATE.exec(chunk);
    const structural = STRUCTURAL_TEMPLATE.exec(chunk);
    const offsets = [helm ? helm.index : -1, structural ? structural.index + structural[0].length - 2 : -1].filter((i) => i >= 0);
    return offsets.length ? Math.min(...offsets) : -1;
}
/** Whether a mapping key makes its file a template: it holds `{{`, or it was an object (`{{ x }}: y` read as a flow mapping). */
function isTemplateKey(key) {
    return key.includes('{{') || key === '[object Object]';
}
/**
 * Where a string value written at text[start, end) makes its file a template (the offset of its
 * `{{`, or its start), or -1: a one-line value that names Helm's objects.
 */
function stringMarkerAt(value, text, start, end) {
    if (!value.includes('{{') || value.includes('\n') || !HELM_VALUE.test(value))
        return -1;
    const i = text.slice(start, end).indexOf('{{');
    return i >= 0 ? start + i : start;
}
/** The first template marker of the file that makes it an unrendered template, if any. */
function findTemplateMarker(file) {
    const text = file.text;
    if (!text.includes('{{'))
        return undefined;
    let best;
    const consider = (offset) => {
        if (offset >= 0 && (best === undefined || offset < best))
            best = offset;
    };
    for (const err of file.errors) {
        // A document that does not parse is a template when its markers are Helm's or stand where
        // YAML structure would (`key: {{ … }}` unquoted, a line opening with `{{`); a quoted
        // `"{{ $labels.x }}"` beside a real indentation error is still a syntax error.
        const at = templateMarkerIn(text.slice(err.span.start, err.span.end));
        if (at >= 0)
            consider(err.span.start + at);
    }
    const table = file.positions;
    const seen = new Set();
    const visit = (v) => {
        if (v === null || typeof v !== 'object' || seen.has(v))
            return;
        seen.add(v);
        const pos = table.get(v);
        if (Array.isArray(v)) {
            v.forEach((item, i) => {
                if (typeof item === 'string')
                    checkString(item, pos?.items?.[i]);
                else
                    visit(item);
            });
            return;
        }
        for (const [k, item] of Object.entries(v)) {
            const entry = pos?.entries?.get(k);
            if (isTemplateKey(k))
                consider(entry ? entry.key.start : (pos?.span.start ?? 0));
            if (typeof item === 'string')
                checkString(item, entry?.value);
            else
                visit(item);
        }
    };
    const checkString = (s, span) => {
        if (span)
            consider(stringMarkerAt(s, text, span.start, span.end));
    };
    for (const doc of file.documents)
        visit(doc.value);
    // What the fast path noted in the parts it left out of the documents (fastyaml.ts).
    for (const mark of file.templateMarks ?? [])
        consider(mark);
    return best === undefined ? undefined : { span: { start: best, end: best + 2 } };
}

;// CONCATENATED MODULE: ./build/source/base64.js
// Base64 as Kubernetes decodes it: encoding/base64's StdEncoding (padding required, line breaks ignored).
/** Strict standard base64 as Kubernetes decodes `data` ([]byte in JSON: StdEncoding, newlines ignored). */
function decodeBase64Strict(s) {
    const clean = s.replace(/[\r\n]/g, '');
    if (!isBase64Clean(clean))
        return undefined;
    return Buffer.from(clean, 'base64').toString('utf8');
}
/** Whether decodeBase64Strict decodes `s` (without decoding it). */
function isBase64Strict(s) {
    return isBase64Clean(s.includes('\n') || s.includes('\r') ? s.replace(/[\r\n]/g, '') : s);
}
function isBase64Clean(clean) {
    return clean.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(clean);
}

;// CONCATENATED MODULE: ./build/source/schema.js
// The YAML schema manifests are read with, as kubectl reads them: js-yaml's default schema, except
// that
// - a scalar that looks like a timestamp (`2024-01-01`) stays a string, tagged `!!timestamp` or
//   not. kubectl and the API server decode YAML into interface{} (sigs.k8s.io/yaml: goyaml.v2's
//   Unmarshal, then JSON), and goyaml.v2 keeps a timestamp there as its text "for backward
//   compatibility" (decode.go, scalar: `tag == yaml_TIMESTAMP_TAG` → `n.value`), so the API
//   server sees `name: 2024-01-01` as a name;
// - `!!binary` is the string of the decoded bytes (decode.go: `resolved = string(data)`), which
//   JSON then carries as text (bytes that are not UTF-8 become U+FFFD); base64 that
//   encoding/base64's StdEncoding refuses (line breaks aside) fails the document, as in goyaml
//   ("!!binary value contains invalid base64 data");
// - booleans are YAML 1.1's, as goyaml.v2 resolves them (resolve.go, resolveMapList): `y`, `yes`,
//   `on`, `n`, `no`, `off` in their three spellings are booleans too, so `name: no` is `false`,
//   which the API server refuses where a string goes.


/** js-yaml's built-in types (exported at run time; @types/js-yaml does not declare them). */
const schema_types = yaml.types;
/** goyaml.v2's plain scalars that are booleans, and their values. */
const YAML11_BOOLEANS = new Map([
    ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((w) => [w, true]),
    ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((w) => [w, false]),
]);
/** YAML 1.1's boolean type; it takes the place of js-yaml's (same tag and kind). */
const bool11 = new yaml.Type('tag:yaml.org,2002:bool', {
    kind: 'scalar',
    resolve: (data) => data !== null && YAML11_BOOLEANS.has(data),
    construct: (data) => YAML11_BOOLEANS.get(data),
    predicate: (object) => typeof object === 'boolean',
});
/** `!!timestamp`: the text itself as the value (goyaml.v2 into interface{}), when goyaml reads it as a timestamp. */
const timestampText = new yaml.Type('tag:yaml.org,2002:timestamp', {
    kind: 'scalar',
    resolve: (data) => data !== null && isGoTimestamp(data),
    construct: (data) => data,
});
// goyaml.v2's parseTimestamp (resolve.go): four digits and a dash first, then one of
// allowedTimestampFormats as Go's time.Parse reads them: "2006-1-2T15:4:5.999999999Z07:00" (T or
// t), "2006-1-2 15:4:5.999999999" and "2006-1-2" (one or two digits for the month, day, hour,
// minute and second; an optional fraction; Z or ±hh:mm), with the fields in range.
const GO_TIMESTAMP = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:([Tt])|( ))(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/;
/** Whether goyaml.v2 reads `text` as a timestamp. */
function isGoTimestamp(text) {
    const m = GO_TIMESTAMP.exec(text);
    if (!m)
        return false;
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate())
        return false;
    if (m[6] === undefined)
        return true;
    // With a T the zone is required; with a space there is none.
    if ((m[4] !== undefined) !== (m[9] !== undefined))
        return false;
    return Number(m[6]) < 24 && Number(m[7]) < 60 && Number(m[8]) < 60;
}
/** `!!binary`: the decoded bytes as a string (goyaml.v2), when StdEncoding decodes the text. */
const binaryText = new yaml.Type('tag:yaml.org,2002:binary', {
    kind: 'scalar',
    resolve: (data) => decodeBase64Strict(data ?? '') !== undefined,
    construct: (data) => decodeBase64Strict(data ?? ''),
});
const KUBE_SCHEMA = yaml.CORE_SCHEMA.extend({
    implicit: [bool11, schema_types.merge],
    explicit: [timestampText, binaryText, schema_types.omap, schema_types.pairs, schema_types.set],
});

;// CONCATENATED MODULE: ./build/source/chars.js
// Character codes and character classes shared by the two YAML readers (yaml.ts, fastyaml.ts).

const NL = 10;
const chars_CR = 13;
const SPACE = 32;
const TAB = 9;
const HASH = 35;
const DASH = 45;
const DOT = 46;
const COLON = 58;
const DQUOTE = 34;
const SQUOTE = 39;
/** Space, tab or a line break. */
function isWsOrEol(c) {
    return c === SPACE || c === NL || c === chars_CR || c === TAB;
}
function isLetter(c) {
    return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}
/** A character of a plain key that needs no thought: a letter, a digit, `_`, `-`, `.` or `/`. */
function isKeyChar(c) {
    return isLetter(c) || (c >= 48 && c <= 57) || c === 95 || c === DASH || c === DOT || c === 47;
}
/** Words that start with a letter and are not strings as kubectl reads YAML (schema.ts: null, YAML 1.1 booleans). */
const NOT_STRINGS = new Set(['null', 'Null', 'NULL', ...YAML11_BOOLEANS.keys()]);

;// CONCATENATED MODULE: ./build/source/fastyaml.js



/** The implicit scalar types of the schema js-yaml reads with (KUBE_SCHEMA), in its order (null, bool, int, float, merge). */
const IMPLICIT = KUBE_SCHEMA.compiledImplicit;
const MERGE_TAG = 'tag:yaml.org,2002:merge';
/** Non-printable characters js-yaml rejects in its input (loader.js PATTERN_NON_PRINTABLE). */
// eslint-disable-next-line no-control-regex -- the very characters to find
const NON_PRINTABLE = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:[^\uD800-\uDBFF]|^)[\uDC00-\uDFFF]/;
const NOT_PLAIN_ASCII = /[^\t\n\r\x20-\x7e]/;
const MAX_DEPTH = 64;
/** False while reading a part that the filter leaves out. */
let BUILD = true;
/**
 * True while parsing a document of a file that holds `{{`, where template detection (templates.ts)
 * reads every key and every string: in the parts left out, the keys and strings it would flag
 * are noted in `marks` instead (offsets, as findTemplateMarker computes them).
 */
let PROBE = false;
let marks = [];
/** A string read in a part left out: a template marker, as findTemplateMarker sees one? */
function probeString(value, start, end) {
    const at = stringMarkerAt(value, S, start, end);
    if (at >= 0)
        marks.push(at);
}
function probeKey(key, start) {
    if (isTemplateKey(key))
        marks.push(start);
}
/** The anchors of the document and their scalar values (NOT_AVAILABLE: a collection, or a part not built). */
const fastyaml_anchors = new Map();
const NOT_AVAILABLE = Symbol('not available');
/** Thrown to give up on a document; one object, no stack trace. */
const BAIL = { bail: true };
// The document being parsed (parsing is synchronous: one at a time).
let S = '';
/** End of the document's chunk (exclusive): the parser treats it as the end of the input. */
let E = 0;
/** Current offset. */
let P = 0;
/** Indent of the content line at P, or -1 at the end of the document. */
let IND = -1;
let T;
let depth = 0;
/** Start and end of the node just parsed, and whether it was empty (a null without text). */
let NS = 0;
let NE = 0;
let NEMPTY = false;
// Children of the collections being built: keys and spans (key start, key end, value start, value end; items use two).
let keys = [];
let nums = [];
let kTop = 0;
let nTop = 0;
/** Collections recorded in the table for the current document (forgotten if it gives up). */
let made = [];
function bail() {
    throw BAIL;
}
/** True when js-yaml would reject the text for a non-printable character (it checks each document). */
function nonPrintable(text, start, end) {
    const chunk = text.slice(start, end);
    // Most documents are printable ASCII, which a simpler pattern finds faster.
    return NOT_PLAIN_ASCII.test(chunk) && NON_PRINTABLE.test(chunk);
}
/**
 * Parses the document in `text` from `start` to `end` (one chunk of splitDocuments) if it is
 * written in the subset this module knows; records its positions in `table`. Undefined when it is
 * not (nothing is left recorded then): parse it with js-yaml.
 */
function fastDocument(text, start, end, table, filter, kind, templateMarks, 
/** The caller found the document to be printable ASCII: no need to look again. */
ascii = false) {
    if (IMPLICIT === undefined || (!ascii && nonPrintable(text, start, end)))
        return undefined;
    PROBE = templateMarks !== undefined && filter !== undefined;
    try {
        let doc = parseDocument(text, start, end, table, filter);
        if (doc && filter && kind !== undefined && doc.value?.kind !== kind) {
            // The filter was chosen for another kind (a `kind:` line inside a scalar or a flow): build it all.
            table.rollback(doc.mark, doc.made);
            PROBE = false;
            doc = parseDocument(text, start, end, table, undefined);
        }
        else if (doc && filter?.check && !filter.check(doc.value)) {
            // Pruning would keep what the filter left out: parse again with less left out.
            table.rollback(doc.mark, doc.made);
            PROBE = templateMarks !== undefined && filter.fallback !== undefined;
            doc = parseDocument(text, start, end, table, filter.fallback);
        }
        // The marks of the attempt that counts (parseDocument starts each attempt with none).
        if (doc && templateMarks)
            templateMarks.push(...marks);
        return doc;
    }
    finally {
        PROBE = false;
        marks = [];
    }
}
function parseDocument(text, start, end, table, filter) {
    S = text;
    E = end;
    P = start;
    T = table;
    depth = 0;
    kTop = 0;
    nTop = 0;
    BUILD = true;
    made = [];
    if (marks.length)
        marks = [];
    if (fastyaml_anchors.size)
        fastyaml_anchors.clear(); // clear() allocates a new table even when empty
    const mark = table.mark();
    try {
        if (text.startsWith('---', start)) {
            P = start + 3;
            endLine();
        }
        else {
            nextContent();
        }
        if (IND < 0)
            bail();
        let value;
        const first = S.charCodeAt(P);
        if (first === 123 || first === 91) {
            // A flow collection as the document (JSON): built whole, pruned after.
            depth++;
            value = flowCollection(P);
            endLine();
        }
        else {
            value = blockNode(IND, filter);
        }
        const s = NS;
        const e = NE;
        if (IND !== -1)
            bail();
        return { value, start: s, end: e, mark, made };
    }
    catch (err) {
        if (err !== BAIL)
            throw err;
        table.rollback(mark, made);
        return undefined;
    }
    finally {
        S = '';
        made = [];
        if (fastyaml_anchors.size)
            fastyaml_anchors.clear();
        BUILD = true;
        keys.fill('', 0, kTop);
        if (keys.length > 4096) {
            keys = [];
            nums = [];
        }
    }
}
/** End of the name of an anchor (`&name`) or an alias (`*name`) at `q`; gives up on an empty one. */
function propertyEnd(q) {
    let k = q + 1;
    while (k < E && !isWsOrEol(S.charCodeAt(k)) && !fastyaml_isFlowIndicator(S.charCodeAt(k)))
        k++;
    if (k === q + 1)
        bail();
    return k;
}
function fastyaml_isFlowIndicator(c) {
    return c === 44 || c === 91 || c === 93 || c === 123 || c === 125;
}
/** Character at `i`, with the end of the chunk read as a line break. */
function at(i) {
    return i < E ? S.charCodeAt(i) : NL;
}
/** Skips spaces on the line (a tab gives up: js-yaml has rules of its own for tabs). */
function skipSpaces(i) {
    for (;;) {
        const c = at(i);
        if (c === SPACE)
            i++;
        else if (c === TAB)
            bail();
        else
            return i;
    }
}
/** From P, after a node: only spaces and a comment may be left on the line; then goes to the next content line. */
function endLine() {
    let i = skipSpaces(P);
    let c = at(i);
    if (c === HASH) {
        if (i === P && i > 0 && !isWsOrEol(S.charCodeAt(i - 1)))
            bail();
        while (i < E && (c = S.charCodeAt(i)) !== NL && c !== chars_CR)
            i++;
        c = at(i);
    }
    if (c !== NL && c !== chars_CR)
        bail();
    P = lineBreak(i);
    nextContent();
}
/** Offset after the line break at `i` (a lone CR gives up). */
function lineBreak(i) {
    if (i >= E)
        return E;
    if (S.charCodeAt(i) === chars_CR) {
        if (at(i + 1) !== NL)
            bail();
        return i + 2;
    }
    return i + 1;
}
/** From a line start, skips blank and comment lines: P at the first content character of the next line, IND its indent (-1 at the end). */
function nextContent() {
    for (;;) {
        if (P >= E) {
            IND = -1;
            P = E;
            return;
        }
        const lineStart = P;
        let i = P;
        while (i < E && S.charCodeAt(i) === SPACE)
            i++;
        const c = at(i);
        if (c === NL || c === chars_CR) {
            P = lineBreak(i);
            continue;
        }
        if (c === HASH) {
            while (i < E && S.charCodeAt(i) !== NL && S.charCodeAt(i) !== chars_CR)
                i++;
            P = lineBreak(i);
            continue;
        }
        if (c === TAB)
            bail();
        if (i === lineStart) {
            // A document end marker (the chunk ends with its line), a directive or a document start.
            if ((c === 46 /* . */ && S.startsWith('...', i)) || (c === DASH && S.startsWith('---', i))) {
                if (isWsOrEol(at(i + 3)) && c === 46) {
                    P = i + 3;
                    const before = E;
                    endLine();
                    if (IND !== -1 || before !== E)
                        bail();
                    return;
                }
                if (isWsOrEol(at(i + 3)))
                    bail();
            }
            if (c === 37 /* % */)
                bail();
        }
        P = i;
        IND = i - lineStart;
        return;
    }
}
/** The node that starts the content line at P (indent `ind`): a block sequence or a block mapping. */
function blockNode(ind, filter) {
    if (++depth > MAX_DEPTH)
        bail();
    let value;
    if (S.charCodeAt(P) === DASH && isWsOrEol(at(P + 1)))
        value = blockSequence(ind, filter?.items);
    else if (mappingColon(P) >= 0)
        value = blockMapping(ind, filter);
    else
        bail();
    depth--;
    return value;
}
/**
 * The offset of the `:` that makes the line from `i` a mapping entry, or -1 when the line holds a
 * scalar. A key that this module does not handle gives up.
 */
function mappingColon(i) {
    const c = S.charCodeAt(i);
    if (c === DQUOTE || c === SQUOTE) {
        const close = closeQuoteOnLine(i);
        if (close < 0)
            return -1; // a quoted scalar over lines: never a key
        const after = at(close);
        if (after === COLON && isWsOrEol(at(close + 1)))
            return close;
        return -1;
    }
    if (c === 123 /* { */ || c === 91 /* [ */)
        return -1;
    for (let k = i; k < E; k++) {
        const ch = S.charCodeAt(k);
        if (ch === COLON) {
            if (isWsOrEol(at(k + 1)))
                return k;
        }
        else if (ch === HASH) {
            if (k > i && isWsOrEol(S.charCodeAt(k - 1)))
                return -1;
        }
        else if (ch === NL || ch === chars_CR) {
            return -1;
        }
    }
    return -1;
}
/** Offset after the closing quote of the quoted scalar at `i`, on its line; -1 if it runs on. */
function closeQuoteOnLine(i) {
    const q = S.charCodeAt(i);
    for (let j = i + 1; j < E; j++) {
        const c = S.charCodeAt(j);
        if (c === q) {
            if (q === SQUOTE && at(j + 1) === SQUOTE)
                j++;
            else
                return j + 1;
        }
        else if (c === NL || c === chars_CR) {
            return -1;
        }
        else if (c === 92 /* \ */ && q === DQUOTE) {
            j++; // the escaped character (a line break there makes the scalar run on: the next turn sees it)
            const e = at(j);
            if (e === NL || e === chars_CR)
                return -1;
        }
    }
    return -1;
}
/**
 * The quoted scalar that opens at `q`, on one line or over several (js-yaml's readSingleQuotedScalar
 * and readDoubleQuotedScalar): P is left after its closing quote. A line break folds to a space,
 * n > 1 of them to n - 1 line feeds; the white space around a break is dropped; in double quotes a
 * `\\` before the break joins the lines.
 */
function quoted(q) {
    const close = closeQuoteOnLine(q);
    if (close >= 0) {
        P = close;
        return quotedValue(q, close);
    }
    const double = S.charCodeAt(q) === DQUOTE;
    let result = '';
    let i = q + 1;
    let captureStart = i;
    let captureEnd = i;
    for (;;) {
        if (i >= E)
            bail(); // not closed in the document
        const ch = S.charCodeAt(i);
        if (double ? ch === DQUOTE : ch === SQUOTE) {
            result += S.slice(captureStart, i);
            if (!double && at(i + 1) === SQUOTE) {
                captureStart = i + 1;
                i += 2;
                captureEnd = i;
                continue;
            }
            P = i + 1;
            return result;
        }
        if (double && ch === 92 /* \\ */) {
            result += S.slice(captureStart, i);
            const e = at(i + 1);
            if (e === NL || e === chars_CR) {
                i = separation(i + 1).at;
            }
            else {
                const hex = HEX_ESCAPES.get(e) ?? 0;
                if (i + 2 + hex > E)
                    bail();
                result += unescapeDoubleQuoted(S.slice(i, i + 2 + hex));
                i += 2 + hex;
            }
            captureStart = captureEnd = i;
        }
        else if (ch === NL || ch === chars_CR) {
            result += S.slice(captureStart, captureEnd);
            const sep = separation(i);
            result += sep.breaks === 1 ? ' ' : '\n'.repeat(sep.breaks - 1);
            i = captureStart = captureEnd = sep.at;
        }
        else {
            i++;
            if (ch !== SPACE && ch !== TAB)
                captureEnd = i;
        }
    }
}
/** From a line break at `i`: the line breaks and the white space around them (js-yaml's skipSeparationSpace without comments). */
function separation(i) {
    let breaks = 0;
    for (;;) {
        while (i < E && (S.charCodeAt(i) === SPACE || S.charCodeAt(i) === TAB))
            i++;
        const c = at(i);
        if (i >= E || (c !== NL && c !== chars_CR))
            return { at: i, breaks };
        i = lineBreak(i);
        breaks++;
    }
}
/** Escapes of double-quoted scalars with one character of value (js-yaml's simpleEscapeSequence). */
const fastyaml_SIMPLE_ESCAPES = new Map([
    [48, '\x00'], [97, '\x07'], [98, '\x08'], [116, '\x09'], [9, '\x09'], [110, '\x0A'], [118, '\x0B'], [102, '\x0C'],
    [114, '\x0D'], [101, '\x1B'], [32, ' '], [34, '"'], [47, '/'], [92, '\\'], [78, '\x85'], [95, '\xA0'], [76, '\u2028'], [80, '\u2029'],
]);
const HEX_ESCAPES = new Map([[120, 2], [117, 4], [85, 8]]);
/** The value of the quoted scalar from `i` to `close` (on one line). */
function quotedValue(i, close) {
    const inner = S.slice(i + 1, close - 1);
    if (S.charCodeAt(i) === SQUOTE)
        return inner.includes("''") ? inner.replaceAll("''", "'") : inner;
    return inner.includes('\\') ? unescapeDoubleQuoted(inner) : inner;
}
/** Decodes the escapes of double-quoted text (no line breaks in it) as js-yaml does; gives up on one it would reject. */
function unescapeDoubleQuoted(text) {
    let out = '';
    let last = 0;
    for (let k = text.indexOf('\\'); k >= 0; k = text.indexOf('\\', last)) {
        out += text.slice(last, k);
        const c = text.charCodeAt(k + 1);
        const simple = fastyaml_SIMPLE_ESCAPES.get(c);
        if (simple !== undefined) {
            out += simple;
            last = k + 2;
            continue;
        }
        const digits = HEX_ESCAPES.get(c);
        if (digits === undefined || k + 2 + digits > text.length)
            bail();
        const hex = text.slice(k + 2, k + 2 + digits);
        if (!/^[0-9A-Fa-f]+$/.test(hex))
            bail();
        const code = parseInt(hex, 16);
        if (code > 0x10ffff)
            bail();
        out += code <= 0xffff ? String.fromCharCode(code) : String.fromCharCode(((code - 0x10000) >> 10) + 0xd800, ((code - 0x10000) & 0x3ff) + 0xdc00);
        last = k + 2 + digits;
    }
    return out + text.slice(last);
}
/** The value of a plain scalar's text, typed as js-yaml's default schema does. */
function plainValue(s) {
    const c = s.charCodeAt(0);
    if (isLetter(c) && !NOT_STRINGS.has(s))
        return s;
    for (const type of IMPLICIT) {
        if (type.resolve(s)) {
            if (type.tag === MERGE_TAG)
                bail();
            return type.construct(s);
        }
    }
    return s;
}
/**
 * Keys seen lately, by a hash of their text: the same few keys (name, image, metadata…) make most
 * of a manifest, and reusing one string saves a copy and its lookup as a property name.
 */
const KEY_CACHE = new Array(4096).fill('');
/** A plain key: characters that need no thought, and a string once typed. */
function plainKey(i, end) {
    if (end <= i)
        bail();
    let h = 0;
    for (let k = i; k < end; k++) {
        const c = S.charCodeAt(k);
        if (!isKeyChar(c))
            bail();
        h = (Math.imul(h, 31) + c) | 0;
    }
    return cachedKey(i, end, h);
}
/**
 * The usual mapping entry, read in one pass: a plain key of key characters only, right before a
 * `:` that a space or the line's end follows. The key (its `:` is right after it), or undefined
 * for anything else (mappingColon and plainKey then read the line, and give up where they must).
 */
function simpleKey(i) {
    let h = 0;
    let k = i;
    let c = 0;
    for (; k < E; k++) {
        c = S.charCodeAt(k);
        if (!isKeyChar(c))
            break;
        h = (Math.imul(h, 31) + c) | 0;
    }
    if (k === i || k >= E || c !== COLON || !isWsOrEol(at(k + 1)))
        return undefined;
    return cachedKey(i, k, h);
}
/** The key of S from `i` to `end` (characters checked, `h` their hash), reused from KEY_CACHE when it is there. */
function cachedKey(i, end, h) {
    const n = end - i;
    const slot = (h + Math.imul(n, 0x9e3779b1)) & 4095;
    const cached = KEY_CACHE[slot];
    if (cached.length === n && S.startsWith(cached, i))
        return cached;
    const key = S.slice(i, end);
    const c0 = key.charCodeAt(0);
    if (c0 === DASH && (key.length === 1 || isWsOrEol(key.charCodeAt(1))))
        bail();
    // A key that is not a string (`1:`, `null:`, YAML 1.1's `y:` or `on:`, which js-yaml and
    // sigs.k8s.io/yaml turn into "true"): js-yaml reads the document.
    if (plainValue(key) !== key)
        bail();
    KEY_CACHE[slot] = key;
    return key;
}
/** Records a mapping built from the entries at `kBase` (keys) and `nBase` (spans) of the scratch. */
function recordMap(obj, start, end, kBase, nBase) {
    const n = kTop - kBase;
    const o = T.beginMap(obj, start, end, n);
    for (let i = 0, p = nBase; i < n; i++, p += 4)
        T.pushEntry(keys[kBase + i], nums[p], nums[p + 1], nums[p + 2], nums[p + 3]);
    T.finish(o, n);
    made.push(obj);
}
/** Records a sequence built from the item spans at `nBase` of the scratch. */
function recordSeq(arr, start, end, nBase) {
    const o = T.beginSeq(arr, start, end, arr.length);
    for (let p = nBase; p < nTop; p += 2)
        T.pushItem(nums[p], nums[p + 1]);
    T.finish(o, arr.length);
    made.push(arr);
}
/** True when a mapping whose entries start at `kBase` of the scratch already has `key` (for mappings not built). */
function seenKey(kBase, key) {
    for (let i = kBase; i < kTop; i++)
        if (keys[i] === key)
            return true;
    return false;
}
function pushEntry(key, ks, ke, vs, ve) {
    keys[kTop++] = key;
    nums[nTop++] = ks;
    nums[nTop++] = ke;
    nums[nTop++] = vs;
    nums[nTop++] = ve;
}
/** A block mapping whose first key is at P, at column `col`. */
function blockMapping(col, filter) {
    const obj = BUILD ? {} : undefined;
    const kBase = kTop;
    const nBase = nTop;
    const start = P;
    let end = P;
    for (;;) {
        const ks = P;
        let ke;
        let key;
        const c = S.charCodeAt(P);
        if (c === DQUOTE || c === SQUOTE) {
            ke = closeQuoteOnLine(P);
            if (ke < 0 || at(ke) !== COLON || !isWsOrEol(at(ke + 1)))
                bail();
            key = quotedValue(P, ke);
            P = ke + 1;
        }
        else {
            const simple = simpleKey(P);
            if (simple !== undefined) {
                key = simple;
                ke = P + simple.length;
                P = ke + 1;
            }
            else {
                const colon = mappingColon(P);
                if (colon < 0)
                    bail();
                // `key :` is allowed: the key ends at its last character.
                ke = colon;
                while (ke > P && S.charCodeAt(ke - 1) === SPACE)
                    ke--;
                key = plainKey(P, ke);
                P = colon + 1;
            }
        }
        const left = obj !== undefined && filter?.keep !== undefined && !filter.keep.has(key);
        // A key left out is not in obj: look for it among the keys read (as for a mapping not built).
        if (key === '__proto__' || key === '<<' || (obj && !left ? Object.prototype.hasOwnProperty.call(obj, key) : seenKey(kBase, key)))
            bail();
        if (PROBE && (!obj || left))
            probeKey(key, ks);
        if (!obj) {
            entryValue(col, undefined);
        }
        else if (left) {
            // Read, not built; its entry is recorded all the same (as js-yaml's, then pruned, would be).
            BUILD = false;
            entryValue(col, undefined);
            BUILD = true;
        }
        else {
            obj[key] = entryValue(col, filter?.sub?.get(key));
        }
        pushEntry(key, ks, ke, NS, NE);
        end = NEMPTY ? ke : NE;
        if (IND !== col)
            break;
        if (S.charCodeAt(P) === DASH && isWsOrEol(at(P + 1)))
            bail();
    }
    if (IND > col)
        bail();
    if (obj)
        recordMap(obj, start, end, kBase, nBase);
    kTop = kBase;
    nTop = nBase;
    NS = start;
    NE = end;
    NEMPTY = false;
    return obj;
}
/** The value of a mapping entry whose key (at column `col`) ends before P (just after the `:`). */
function entryValue(col, filter) {
    const open = P;
    const q = skipSpaces(P);
    const c = at(q);
    if (c === NL || c === chars_CR || c === HASH) {
        if (c === HASH && q === P)
            bail();
        P = q;
        endLine();
        if (IND > col) {
            const first = S.charCodeAt(P);
            // A flow collection or a quoted scalar on the lines below its key.
            if (first === 123 || first === 91 || ((first === DQUOTE || first === SQUOTE) && mappingColon(P) < 0))
                return inlineValue(P, col);
            return blockNode(IND, filter);
        }
        if (IND === col && S.charCodeAt(P) === DASH && isWsOrEol(at(P + 1))) {
            if (++depth > MAX_DEPTH)
                bail();
            const seq = blockSequence(col, filter?.items);
            depth--;
            return seq;
        }
        NS = NE = open;
        NEMPTY = true;
        return null;
    }
    return inlineValue(q, col);
}
/**
 * A node that starts on the current line at `q`, not a block collection: a scalar (plain,
 * quoted or block) or a flow collection, each of which may run over the next lines. `parent` is
 * the indent of the collection that holds it: once the node ends, the next content line must not
 * be indented past it.
 */
function inlineValue(q, parent) {
    const c = S.charCodeAt(q);
    let value;
    switch (c) {
        case 124: // |
        case 62: // >
            return blockScalar(q, parent);
        case DQUOTE:
        case SQUOTE: {
            value = quoted(q);
            NS = q;
            NE = P;
            if (!BUILD && PROBE)
                probeString(value, NS, NE);
            break;
        }
        case 91: // [
        case 123: // {
            if (++depth > MAX_DEPTH)
                bail();
            value = flowCollection(q);
            depth--;
            break;
        case 38: {
            // An anchor on a node written on this line (`&name value`): the node is read as if it had
            // none (its span is its content's, as js-yaml's listener gives); a scalar's value is kept for
            // the aliases that name it.
            const k = propertyEnd(q);
            if (S.charCodeAt(k) !== SPACE)
                bail();
            const name = S.slice(q + 1, k);
            const next = skipSpaces(k);
            const n = at(next);
            if (n === NL || n === chars_CR || n === HASH || n === 38 || n === 42 || n === 33)
                bail();
            const built = BUILD;
            // A scalar is built even in a part left out: an alias in a part kept may name it. (Scalars
            // make no position records, so nothing is recorded for the part left out.)
            const scalar = n !== 91 && n !== 123;
            if (scalar)
                BUILD = true;
            const anchored = inlineValue(next, parent);
            BUILD = built;
            if (!built && PROBE && typeof anchored === 'string')
                probeString(anchored, NS, NE);
            fastyaml_anchors.set(name, (built || scalar) && (anchored === null || typeof anchored !== 'object') ? anchored : NOT_AVAILABLE);
            return anchored;
        }
        case 42: {
            // An alias of an anchored scalar (the value itself, as js-yaml gives it; the span is the alias's).
            const k = propertyEnd(q);
            const name = S.slice(q + 1, k);
            if (!fastyaml_anchors.has(name))
                bail();
            const aliased = fastyaml_anchors.get(name);
            if ((BUILD || PROBE) && aliased === NOT_AVAILABLE)
                bail(); // a collection's
            if (!BUILD && PROBE && typeof aliased === 'string')
                probeString(aliased, q, k);
            value = aliased;
            NS = q;
            NE = k;
            P = k;
            break;
        }
        case 33: // !
        case 37: // %
        case 64: // @
        case 96: // `
        case 63: // ?
        case 44: // ,
        case 93: // ]
        case 125: // }
        case HASH:
            bail();
        // eslint-disable-next-line no-fallthrough
        default: {
            // A plain scalar may start with `:` or `-` when a non-space follows (`:8080`, `-c`).
            if (c === COLON && isWsOrEol(at(q + 1)))
                bail();
            if (c === DASH && isWsOrEol(at(q + 1)))
                bail();
            let captureEnd = plainLineEnd(q);
            const collect = BUILD || PROBE;
            let text = collect ? S.slice(q, captureEnd) : '';
            const oneLine = captureEnd - q;
            // Lines indented past the parent carry the scalar on (js-yaml readPlainScalar): one line
            // break reads as a space, n > 1 as n - 1 line feeds; a comment line ends it.
            let k = lineEndAfter(captureEnd);
            while (k >= 0) {
                let j = k;
                let breaks = 0;
                let indent = 0;
                for (;;) {
                    const ch = at(j);
                    if (j >= E)
                        break;
                    if (ch === NL || ch === chars_CR) {
                        j = lineBreak(j);
                        breaks++;
                        indent = 0;
                        while (j < E && S.charCodeAt(j) === SPACE) {
                            indent++;
                            j++;
                        }
                    }
                    else if (ch === TAB) {
                        bail();
                    }
                    else {
                        break;
                    }
                }
                if (j >= E || indent <= parent || S.charCodeAt(j) === HASH)
                    break;
                const lineEnd = plainLineEnd(j);
                if (collect)
                    text += (breaks === 1 ? ' ' : '\n'.repeat(breaks - 1)) + S.slice(j, lineEnd);
                captureEnd = lineEnd;
                k = lineEndAfter(lineEnd);
            }
            if (BUILD)
                value = plainValue(text);
            else if (oneLine === 2 && captureEnd - q === 2 && S.startsWith('<<', q))
                bail(); // what plainValue gives up on
            else if (PROBE)
                probeString(text, q, captureEnd); // (text with `{{` is never typed as anything but a string)
            NS = q;
            NE = captureEnd;
            P = captureEnd;
        }
    }
    NEMPTY = false;
    endLine();
    if (IND > parent)
        bail();
    return value;
}
/**
 * End (trimmed) of the plain scalar text on the line from `i`: up to the line break or a ` #`
 * comment. A `: ` (or `:` at the end) gives up: it would make the line a mapping entry.
 */
function plainLineEnd(i) {
    let end = i;
    for (let k = i; k < E; k++) {
        const ch = S.charCodeAt(k);
        if (ch === NL || ch === chars_CR)
            break;
        if (ch === COLON) {
            if (isWsOrEol(at(k + 1)))
                bail();
        }
        else if (ch === HASH) {
            if (k > i && isWsOrEol(S.charCodeAt(k - 1)))
                break;
        }
        if (ch !== SPACE && ch !== TAB)
            end = k + 1;
    }
    return end;
}
/** The line break that ends the line of `i` when only spaces or tabs come before it; -1 when a comment or anything else does, or at the end. */
function lineEndAfter(i) {
    for (let k = i; k < E; k++) {
        const ch = S.charCodeAt(k);
        if (ch === NL || ch === chars_CR)
            return k;
        if (ch !== SPACE && ch !== TAB)
            return -1;
    }
    return -1;
}
/** A block sequence whose first `-` is at P, at column `col`. */
function blockSequence(col, itemFilter) {
    const arr = BUILD ? [] : undefined;
    const nBase = nTop;
    const start = P;
    let end = P;
    for (;;) {
        const dash = P;
        const q = skipSpaces(P + 1);
        const c = at(q);
        let item;
        if (c === NL || c === chars_CR || c === HASH) {
            if (c === HASH && q === P + 1)
                bail();
            P = q;
            endLine();
            if (IND <= col)
                bail(); // an empty item
            item = blockNode(IND, itemFilter);
        }
        else if (c === DASH && isWsOrEol(at(q + 1))) {
            bail();
        }
        else if (mappingColon(q) >= 0) {
            P = q;
            if (++depth > MAX_DEPTH)
                bail();
            item = blockMapping(col + (q - dash), itemFilter);
            depth--;
        }
        else {
            item = inlineValue(q, col);
        }
        arr?.push(item);
        nums[nTop++] = NS;
        nums[nTop++] = NE;
        end = NE;
        if (IND === col && S.charCodeAt(P) === DASH && isWsOrEol(at(P + 1)))
            continue;
        break;
    }
    if (IND > col)
        bail();
    if (arr)
        recordSeq(arr, start, end, nBase);
    nTop = nBase;
    NS = start;
    NE = end;
    NEMPTY = false;
    return arr;
}
/**
 * A literal (`|`) or folded (`>`) block scalar whose indicator is at `q`, in a collection at
 * indent `parent`: js-yaml's readBlockScalar, with the end of the chunk read as js-yaml reads the
 * end of its input (a line break, then the end).
 */
function blockScalar(q, parent) {
    const folding = S.charCodeAt(q) === 62;
    const nodeIndent = parent + 1;
    let chomping = 0; // 0 clip, 1 strip, 2 keep
    let textIndent = nodeIndent;
    let detectedIndent = false;
    let didReadContent = false;
    let emptyLines = 0;
    let atMoreIndented = false;
    let build = BUILD;
    let result = '';
    let i = q + 1;
    let ch = at(i);
    // The header: a chomping indicator and an indentation indicator, in either order, once each.
    for (;;) {
        if (ch === 43 /* + */ || ch === DASH) {
            if (chomping !== 0)
                bail();
            chomping = ch === 43 ? 2 : 1;
        }
        else if (ch >= 48 && ch <= 57) {
            if (ch === 48 || detectedIndent)
                bail();
            textIndent = nodeIndent + (ch - 48) - 1;
            detectedIndent = true;
        }
        else {
            break;
        }
        ch = at(++i);
    }
    if (ch === SPACE) {
        i = skipSpaces(i);
        if (at(i) === HASH)
            while (i < E && S.charCodeAt(i) !== NL && S.charCodeAt(i) !== chars_CR)
                i++;
        ch = at(i);
    }
    if (ch !== NL && ch !== chars_CR)
        bail();
    // Left out, it is read for template markers only if its value could be one line (stripped).
    if (!build && PROBE && chomping === 1)
        build = true;
    // i is at the header's line break.
    let lineStart = i;
    for (;;) {
        if (i >= E) {
            // The end of the input: js-yaml reads an indent of 0 here, which ends the scalar.
            lineStart = E;
            break;
        }
        i = lineBreak(i);
        lineStart = i;
        let lineIndent = 0;
        ch = i < E ? S.charCodeAt(i) : 0;
        while ((!detectedIndent || lineIndent < textIndent) && ch === SPACE) {
            lineIndent++;
            ch = ++i < E ? S.charCodeAt(i) : 0;
        }
        if (!detectedIndent && lineIndent > textIndent)
            textIndent = lineIndent;
        if (ch === NL || ch === chars_CR) {
            emptyLines++;
            continue;
        }
        if (i >= E) {
            // Spaces and no line break at the end: js-yaml adds the line break, so this is an empty line.
            if (i > lineStart)
                emptyLines++;
            continue;
        }
        // (textIndent is at least parent + 1 ≥ 1: js-yaml's "missing indentation" cannot happen here.)
        if (lineIndent < textIndent)
            break;
        if (folding) {
            if (ch === SPACE || ch === TAB) {
                atMoreIndented = true;
                result += '\n'.repeat(didReadContent ? 1 + emptyLines : emptyLines);
            }
            else if (atMoreIndented) {
                atMoreIndented = false;
                result += '\n'.repeat(emptyLines + 1);
            }
            else if (emptyLines === 0) {
                if (didReadContent)
                    result += ' ';
            }
            else {
                result += '\n'.repeat(emptyLines);
            }
        }
        else {
            result += '\n'.repeat(didReadContent ? 1 + emptyLines : emptyLines);
        }
        didReadContent = true;
        detectedIndent = true;
        emptyLines = 0;
        const captureStart = i;
        while (i < E && (ch = S.charCodeAt(i)) !== NL && ch !== chars_CR)
            i++;
        if (build)
            result += S.slice(captureStart, i); // (a part the filter leaves out: only its line breaks)
    }
    // Chomping: keep every trailing line break, clip to one, or strip them.
    if (chomping === 2)
        result += '\n'.repeat(didReadContent ? 1 + emptyLines : emptyLines);
    else if (chomping === 0 && didReadContent)
        result += '\n';
    NS = q;
    let e = lineStart;
    while (e > q && isWsOrEol(S.charCodeAt(e - 1)))
        e--;
    NE = e;
    NEMPTY = false;
    P = lineStart;
    if (!BUILD && build)
        probeString(result, NS, NE);
    nextContent();
    if (IND > parent)
        bail();
    return result;
}
/** A flow collection (`[…]` or `{…}`) that opens at `q`, on one line or over several. */
function flowCollection(q) {
    const isMap = S.charCodeAt(q) === 123;
    const close = isMap ? 125 : 93;
    const build = BUILD;
    const obj = {};
    const arr = [];
    const kBase = kTop;
    const nBase = nTop;
    let i = skipFlowSpace(q + 1);
    if (at(i) === close) {
        i++;
    }
    else {
        for (;;) {
            if (isMap) {
                const ks = i;
                let key;
                let ke;
                const c = S.charCodeAt(i);
                if (c === DQUOTE || c === SQUOTE) {
                    ke = closeQuoteOnLine(i);
                    if (ke < 0)
                        bail();
                    key = quotedValue(i, ke);
                }
                else {
                    ke = flowPlainEnd(i);
                    key = plainKey(i, ke);
                }
                // `key: value`; after a quoted (JSON-like) key the value may follow the `:` at once.
                if (at(ke) !== COLON || (c !== DQUOTE && c !== SQUOTE && !isWsOrEol(at(ke + 1))))
                    bail();
                if (key === '__proto__' || (build ? Object.prototype.hasOwnProperty.call(obj, key) : seenKey(kBase, key)))
                    bail();
                if (!build && PROBE)
                    probeKey(key, ks);
                i = skipFlowSpace(ke + 1);
                const value = flowValue(i);
                if (build)
                    obj[key] = value;
                pushEntry(key, ks, ke, NS, NE);
            }
            else {
                const value = flowValue(i);
                if (build)
                    arr.push(value);
                nums[nTop++] = NS;
                nums[nTop++] = NE;
            }
            i = skipFlowSpace(P);
            const c = at(i);
            if (c === close) {
                i++;
                break;
            }
            if (c !== 44 /* , */)
                bail();
            i = skipFlowSpace(i + 1);
            if (at(i) === 44)
                bail();
            if (at(i) === close) {
                // A trailing comma, which js-yaml allows (`[a, b, ]`, JSON-like documents written by hand).
                i++;
                break;
            }
        }
    }
    NS = q;
    NE = i;
    NEMPTY = false;
    P = i;
    if (build) {
        if (isMap)
            recordMap(obj, q, i, kBase, nBase);
        else
            recordSeq(arr, q, i, nBase);
    }
    kTop = kBase;
    nTop = nBase;
    return !build ? undefined : isMap ? obj : arr;
}
/**
 * Skips the separation inside a flow collection: spaces, line breaks and comments (a flow
 * collection may run over lines, JSON documents do). The end of the document there gives up.
 */
function skipFlowSpace(i) {
    for (;;) {
        if (i >= E)
            bail();
        const c = S.charCodeAt(i);
        if (c === SPACE || c === NL) {
            i++;
        }
        else if (c === chars_CR) {
            i = lineBreak(i);
        }
        else if (c === HASH) {
            if (i > 0 && !isWsOrEol(S.charCodeAt(i - 1)))
                bail();
            while (i < E && S.charCodeAt(i) !== NL && S.charCodeAt(i) !== chars_CR)
                i++;
        }
        else if (c === TAB) {
            bail();
        }
        else {
            return i;
        }
    }
}
/** End (trimmed) of a plain scalar in a flow collection that starts at `i`; gives up on anything that is not plainly a scalar. */
function flowPlainEnd(i) {
    let end = i;
    for (let k = i;; k++) {
        const c = at(k);
        if (c === 44 || c === 93 || c === 125 || c === COLON)
            return end;
        if ((c === NL || c === chars_CR) && k < E) {
            // At the end of its line the scalar ends if a `,`, `]`, `}` or a comment comes next (JSON's
            // `"port": 80` then `}`); text there would carry it on.
            let j = k;
            while (j < E && (S.charCodeAt(j) === SPACE || S.charCodeAt(j) === NL || S.charCodeAt(j) === chars_CR))
                j++;
            const next = at(j);
            if (j < E && (next === 44 || next === 93 || next === 125 || next === HASH))
                return end;
            bail();
        }
        if (c === NL || c === chars_CR || c === 91 || c === 123 || c === HASH || c === TAB)
            bail();
        if (c !== SPACE)
            end = k + 1;
    }
}
/** A value inside a flow collection, at `i`: a scalar or a nested flow collection. */
function flowValue(i) {
    const c = at(i);
    if (c === 91 || c === 123) {
        if (++depth > MAX_DEPTH)
            bail();
        const v = flowCollection(i);
        depth--;
        return v;
    }
    if (c === DQUOTE || c === SQUOTE) {
        const value = quoted(i);
        NS = i;
        NE = P;
        NEMPTY = false;
        if (!BUILD && PROBE)
            probeString(value, NS, NE);
        return value;
    }
    switch (c) {
        case 38:
        case 42:
        case 33:
        case 37:
        case 64:
        case 96:
        case 63:
        case 44:
        case 93:
        case 125:
        case COLON:
        case HASH:
        case 124: // `|` and `>` start no plain scalar: js-yaml rejects them in a flow collection
        case 62:
        case NL:
        case chars_CR:
            bail();
    }
    if (c === DASH && (isWsOrEol(at(i + 1)) || at(i + 1) === 44 || at(i + 1) === 93 || at(i + 1) === 125))
        bail();
    const end = flowPlainEnd(i);
    if (at(end) === COLON)
        bail(); // a single-pair mapping, or a `:` inside the scalar
    NS = i;
    NE = end;
    P = end;
    NEMPTY = false;
    if (BUILD)
        return plainValue(S.slice(i, end));
    if (end - i === 2 && S.startsWith('<<', i))
        bail(); // what plainValue gives up on
    if (PROBE)
        probeString(S.slice(i, end), i, end);
    return undefined;
}

;// CONCATENATED MODULE: ./build/model/pull-secret-keys.js
// The keys a pull-secret list may be written under, right or wrong (model/misplaced.ts). A module
// of its own, without imports: pruning (source/prune.ts) keeps these keys, and misplaced.ts
// imports resources.ts, which imports the source modules: prune.ts importing misplaced.ts would
// be a cycle, with these constants not yet set when prune.ts is evaluated.
/**
 * Keys that look like `imagePullSecrets` but are not it (another casing, the singular, the name of
 * the field elsewhere). Pruning keeps them where they are looked for (prune.ts).
 */
const PULL_SECRET_LOOKALIKES = [
    'imagePullSecret',
    'ImagePullSecrets',
    'ImagePullSecret',
    'imagepullsecrets',
    'imagePullsecrets',
    'image_pull_secrets',
    'pullSecrets',
];
/** The field and its look-alikes: where no pull-secret list belongs, any of them is misplaced. */
const PULL_SECRET_KEYS = ['imagePullSecrets', ...PULL_SECRET_LOOKALIKES];

;// CONCATENATED MODULE: ./build/source/prune.js
// Keeping only what the graph reads. A parsed document is pruned in place, right after parsing
// (on whichever thread parsed it): the fields pullcheck never looks at (labels, env, probes,
// resources, volume sources, Secret values that are not docker configs, SealedSecret ciphertext…)
// are deleted, so they are neither sent between threads nor kept alive for the whole run.
// Objects keep their identity, so the position table stays valid for what remains.



/** Set when pruning deletes a field: the position records of what it held must then go too. */
let deleted = false;
function keepOnly(obj, keep) {
    for (const key of Object.keys(obj)) {
        if (!keep.has(key)) {
            delete obj[key];
            deleted = true;
        }
    }
}
const METADATA = new Set(['name', 'namespace', 'generateName', 'annotations']);
/**
 * A Secret or ServiceAccount keeps its labels too: a label the API server refuses means the object
 * never exists (model/validation.ts); a Namespace, for label selectors (reflector's).
 */
const CHECKED_METADATA = new Set([...METADATA, 'labels']);
const CHECKED_KINDS = new Set(['Secret', 'ServiceAccount', 'Namespace']);
// Pull-secret lists written where Kubernetes never reads them are kept too, to be pointed at
// (model/misplaced.ts): look-alike keys in the PodSpec, any of them in containers and above.
const POD_SPEC = new Set(['serviceAccountName', 'serviceAccount', 'imagePullSecrets', 'containers', 'initContainers', 'ephemeralContainers', 'volumes', ...PULL_SECRET_LOOKALIKES]);
const CONTAINER = new Set(['name', 'image', 'imagePullPolicy', ...PULL_SECRET_KEYS]);
/**
 * What is kept of a mapping above the PodSpec besides the way down (`key`): pull-secret lists and
 * a ServiceAccount name written there, where Kubernetes never reads them (model/misplaced.ts).
 */
const SERVICE_ACCOUNT_KEYS = ['serviceAccountName', 'serviceAccount'];
const above = (key) => new Set([key, ...PULL_SECRET_KEYS, ...SERVICE_ACCOUNT_KEYS]);
// A pod template's metadata keeps its annotations: pullcheck.dev/ignore may be written there (a
// Helm chart's podAnnotations), and applies to the pods made from it (findings/suppress.ts).
const TEMPLATE_KEEP = new Set([...above('spec'), 'metadata']);
const ANNOTATIONS_ONLY = new Set(['annotations']);
/** A CronJob's jobTemplate: only its `spec` matters. */
const JOB_TEMPLATE_KEEP = above('spec');
// An OpenShift DeploymentConfig's `triggers`: an automatic ImageChange trigger sets the image of
// the containers it names (model/workloads.ts).
const SPEC_KEEP_TEMPLATE = new Set([...above('template'), 'triggers']);
const SPEC_KEEP_JOB_TEMPLATE = above('jobTemplate');
const VOLUME = new Set(['name', 'image']);
const DOCKER_KEYS = new Set(['.dockerconfigjson', '.dockercfg']);
function prunePodSpec(spec) {
    if (!isObj(spec))
        return;
    keepOnly(spec, POD_SPEC);
    for (const slot of ['containers', 'initContainers', 'ephemeralContainers']) {
        const list = spec[slot];
        if (Array.isArray(list))
            for (const c of list)
                if (isObj(c))
                    keepOnly(c, CONTAINER);
    }
    const volumes = spec.volumes;
    if (Array.isArray(volumes))
        for (const v of volumes)
            if (isObj(v))
                keepOnly(v, VOLUME);
}
/** `spec.template` of a workload: only its `spec` matters. */
function pruneTemplate(template) {
    if (!isObj(template))
        return;
    keepOnly(template, TEMPLATE_KEEP);
    if (isObj(template.metadata))
        keepOnly(template.metadata, ANNOTATIONS_ONLY);
    prunePodSpec(template.spec);
}
/**
 * Values of a Secret's data that are not docker configs: only their keys are read, and whether the
 * API server can decode them (a `data` value that is not base64 is kept, to be reported).
 */
function blankValues(data, base64 = false) {
    if (!isObj(data))
        return;
    for (const key of Object.keys(data)) {
        const value = data[key];
        if (!DOCKER_KEYS.has(key) && typeof value === 'string' && (!base64 || isBase64Strict(value)))
            data[key] = '';
    }
}
/**
 * Prunes Kubernetes objects in place (see pruneObject); true when a field was deleted (string
 * values blanked do not count: they hold no collections).
 */
function pruneObjects(objects) {
    deleted = false;
    for (const obj of objects)
        pruneObject(obj);
    return deleted;
}
/**
 * Prunes one Kubernetes object in place. Kinds pullcheck does not know keep their `spec`
 * (a custom resource may name pull secrets anywhere in it).
 */
function pruneObject(obj) {
    if (!isObj(obj) || typeof obj.kind !== 'string')
        return;
    const kind = obj.kind;
    if (isObj(obj.metadata))
        keepOnly(obj.metadata, CHECKED_KINDS.has(kind) ? CHECKED_METADATA : METADATA);
    if (Array.isArray(obj.items) && (kind === 'List' || kind.endsWith('List'))) {
        for (const item of obj.items)
            pruneObject(item);
        return;
    }
    const spec = obj.spec;
    switch (kind) {
        case 'Secret':
            blankValues(obj.data, true);
            blankValues(obj.stringData);
            return;
        case 'Pod':
            prunePodSpec(spec);
            return;
        case 'PodTemplate':
            pruneTemplate(obj.template);
            return;
        case 'SealedSecret':
            if (isObj(spec) && isObj(spec.encryptedData))
                blankValues(spec.encryptedData);
            return;
        case 'ServiceAccount':
        case 'ExternalSecret':
        case 'ClusterExternalSecret':
        case 'Namespace':
            return;
    }
    if (!isObj(spec))
        return;
    switch (podTemplateIn(spec)) {
        case 'template':
            keepOnly(spec, SPEC_KEEP_TEMPLATE);
            pruneTemplate(spec.template);
            break;
        case 'jobTemplate': {
            const jobTemplate = spec.jobTemplate;
            keepOnly(spec, SPEC_KEEP_JOB_TEMPLATE);
            keepOnly(jobTemplate, JOB_TEMPLATE_KEEP);
            keepOnly(jobTemplate.spec, SPEC_KEEP_TEMPLATE);
            pruneTemplate(jobTemplate.spec.template);
        }
    }
}
/**
 * Where a `spec` holds a pod template whose PodSpec has a `containers` list: `template` first,
 * else `jobTemplate.spec.template`; undefined when neither (pruning then keeps the spec whole).
 */
function podTemplateIn(spec) {
    const template = spec.template;
    if (isObj(template) && isObj(template.spec) && Array.isArray(template.spec.containers))
        return 'template';
    const jobTemplate = spec.jobTemplate;
    if (!isObj(jobTemplate) || !isObj(jobTemplate.spec) || !isObj(jobTemplate.spec.template))
        return undefined;
    const jt = jobTemplate.spec.template;
    return isObj(jt.spec) && Array.isArray(jt.spec.containers) ? 'jobTemplate' : undefined;
}
// The same pruning, done while parsing (fastyaml.ts): the parts pruneObject would delete whatever
// the document holds are read but never built. Where pruneObject decides on what the document
// holds (the `spec` of workloads and custom resources: only a `template` or `jobTemplate` whose
// PodSpec has a `containers` list), the filter assumes the usual case and checks it on the result;
// the document is parsed again, with only its metadata pruned, when it does not hold. pruneObject
// still runs after: on a filtered document it changes nothing more than on a whole one (tested on
// the corpus, a generated repository and mutated documents).
const METADATA_FILTER = { keep: METADATA };
const CONTAINER_FILTER = { keep: CONTAINER };
const POD_SPEC_FILTER = {
    keep: POD_SPEC,
    sub: new Map([
        ['containers', { items: CONTAINER_FILTER }],
        ['initContainers', { items: CONTAINER_FILTER }],
        ['ephemeralContainers', { items: CONTAINER_FILTER }],
        ['volumes', { items: { keep: VOLUME } }],
    ]),
};
const TEMPLATE_FILTER = { keep: TEMPLATE_KEEP, sub: new Map([['spec', POD_SPEC_FILTER], ['metadata', { keep: ANNOTATIONS_ONLY }]]) };
/** Only the metadata pruned (also for the stubs of documents not built, yaml.ts skippedDocument). */
const ONLY_METADATA = { sub: new Map([['metadata', METADATA_FILTER]]) };
const CHECKED_ONLY_METADATA = { sub: new Map([['metadata', { keep: CHECKED_METADATA }]]) };
/** pruneObject's default branch keeps `template` or `jobTemplate` only when its PodSpec has a `containers` list. */
function hasPodTemplate(obj) {
    const spec = obj.spec;
    // pruneObject leaves a spec that is not a mapping alone, and so did the filter.
    return !isObj(spec) || podTemplateIn(spec) !== undefined;
}
const FILTERS = new Map([
    ['Pod', { sub: new Map([['metadata', METADATA_FILTER], ['spec', POD_SPEC_FILTER]]) }],
    ['PodTemplate', { sub: new Map([['metadata', METADATA_FILTER], ['template', TEMPLATE_FILTER]]) }],
    ['Secret', CHECKED_ONLY_METADATA],
    ['SealedSecret', ONLY_METADATA],
    ['ServiceAccount', CHECKED_ONLY_METADATA],
    ['ExternalSecret', ONLY_METADATA],
    ['ClusterExternalSecret', ONLY_METADATA],
    ['Namespace', CHECKED_ONLY_METADATA],
]);
/** Workloads and custom resources: a `spec` with a pod template, checked on the result. */
const WITH_TEMPLATE = {
    sub: new Map([
        ['metadata', METADATA_FILTER],
        [
            'spec',
            {
                keep: new Set(['template', 'jobTemplate', 'triggers', ...PULL_SECRET_KEYS, ...SERVICE_ACCOUNT_KEYS]),
                sub: new Map([
                    ['template', TEMPLATE_FILTER],
                    ['jobTemplate', { keep: JOB_TEMPLATE_KEEP, sub: new Map([['spec', { keep: SPEC_KEEP_TEMPLATE, sub: new Map([['template', TEMPLATE_FILTER]]) }]]) }],
                ]),
            },
        ],
    ]),
    check: hasPodTemplate,
    fallback: ONLY_METADATA,
};
/** The parse-time filter for a document whose top-level `kind` is the plain string `kind`. */
function parseFilter(kind) {
    if (kind === 'List' || kind.endsWith('List'))
        return ONLY_METADATA;
    return FILTERS.get(kind) ?? WITH_TEMPLATE;
}

;// CONCATENATED MODULE: ./build/source/yaml.js
// YAML/JSON parsing with source positions.
//
// js-yaml 4 builds plain JS values; its `listener` option reports every node's open and close
// with the parser's offset. We rebuild, beside the values, a side table keyed by each
// mapping/sequence object holding the offsets of every key and value, so that a rule can point
// at the exact node it blames. Files are split into documents at `---` markers first (a marker
// at column 0 ends any scalar, so the split is exact): one broken document never hides the others.
//
// The table is flat (one Int32Array of records per file, and an object → record map) rather than
// an object per span: parsing allocates little beside js-yaml's own values, and the table can
// cross a worker_threads boundary as a transferable buffer (see `exportPositions`/`importPositions`).
//
// Documents whose kind cannot matter to pullcheck (SKIPPABLE_KINDS) are not built: a look at the
// document's top-level lines finds `kind:`, and only `apiVersion`, `kind` and `metadata` are parsed.
//
// Every other document goes to the fast path first (fastyaml.ts: the same values and records as
// js-yaml gives, for the YAML renderers write, pruned as it parses); js-yaml parses the documents
// the fast path declines.







const REC_MAP = 1;
const REC_SEQ = 2;
/** Record header: type, span start, span end, count (-1: entries or items unknown). */
const HEADER = 4;
const MAP_ENTRY = 5; // key index, key start, key end, value start, value end
const SEQ_ITEM = 2; // start, end
/** Positions of every mapping and sequence of a file, plus offset → line/column conversion. */
class PositionTable {
    text;
    /** Offset in `data` of each collection's record. */
    index = new Map();
    data = EMPTY_DATA;
    size = 0;
    /** The distinct mapping keys of the file, referenced by index from the records. */
    keys = [];
    keyIndex = new Map();
    lineStarts;
    constructor(text) {
        this.text = text;
    }
    /** The positions of a mapping or sequence, as objects (built on demand). */
    get(obj) {
        const o = this.offset(obj);
        if (o === undefined)
            return undefined;
        const d = this.data;
        const span = { start: d[o + 1], end: d[o + 2] };
        const n = d[o + 3];
        if (d[o] === REC_SEQ) {
            if (n < 0)
                return { span };
            const items = [];
            for (let i = 0, p = o + HEADER; i < n; i++, p += SEQ_ITEM)
                items.push({ start: d[p], end: d[p + 1] });
            return { span, items };
        }
        if (n < 0)
            return { span, entries: undefined };
        const entries = new Map();
        for (let i = 0, p = o + HEADER; i < n; i++, p += MAP_ENTRY) {
            entries.set(this.keys[d[p]], { key: { start: d[p + 1], end: d[p + 2] }, value: { start: d[p + 3], end: d[p + 4] } });
        }
        return { span, entries };
    }
    /** Span of `obj[key]`'s value (or of the item at index `key` of a sequence). */
    valueSpan(obj, key) {
        const o = this.offset(obj);
        if (o === undefined)
            return undefined;
        const d = this.data;
        if (typeof key === 'number') {
            if (d[o] !== REC_SEQ || !Number.isInteger(key) || key < 0 || key >= d[o + 3])
                return undefined;
            const p = o + HEADER + key * SEQ_ITEM;
            return { start: d[p], end: d[p + 1] };
        }
        const p = this.entry(o, key);
        return p < 0 ? undefined : { start: d[p + 3], end: d[p + 4] };
    }
    keySpan(obj, key) {
        const o = this.offset(obj);
        if (o === undefined)
            return undefined;
        const p = this.entry(o, key);
        return p < 0 ? undefined : { start: this.data[p + 1], end: this.data[p + 2] };
    }
    span(obj) {
        const o = this.offset(obj);
        return o === undefined ? undefined : { start: this.data[o + 1], end: this.data[o + 2] };
    }
    /** Offset where a 1-based line starts, if the line exists. */
    offsetOfLine(line) {
        const starts = (this.lineStarts ??= computeLineStarts(this.text));
        return line >= 1 && line <= starts.length ? starts[line - 1] : undefined;
    }
    /** 1-based line and column of an offset. */
    lineCol(offset) {
        const starts = (this.lineStarts ??= computeLineStarts(this.text));
        let lo = 0;
        let hi = starts.length - 1;
        while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if (starts[mid] <= offset)
                lo = mid;
            else
                hi = mid - 1;
        }
        return { line: lo + 1, column: offset - starts[lo] + 1 };
    }
    offset(obj) {
        if (obj === null || typeof obj !== 'object')
            return undefined;
        const o = this.index.get(obj);
        return o === undefined || o < 0 ? undefined : o;
    }
    /** Offset of the entry `key` of the mapping record at `o`, or -1. */
    entry(o, key) {
        const d = this.data;
        if (d[o] !== REC_MAP)
            return -1;
        const n = d[o + 3];
        for (let i = 0, p = o + HEADER; i < n; i++, p += MAP_ENTRY)
            if (this.keys[d[p]] === key)
                return p;
        return -1;
    }
    /** True when `obj` already has a record (the first one wins: an alias never moves its anchor). */
    has(obj) {
        return this.index.has(obj);
    }
    /** Starts a record for `obj`; the caller then writes `count` entries or items. */
    begin(obj, type, start, end, count) {
        const o = this.size;
        this.reserve(HEADER + Math.max(0, count) * (type === REC_MAP ? MAP_ENTRY : SEQ_ITEM));
        const d = this.data;
        d[o] = type;
        d[o + 1] = start;
        d[o + 2] = end;
        d[o + 3] = count;
        this.size = o + HEADER;
        this.index.set(obj, o);
        return o;
    }
    beginMap(obj, start, end, count) {
        return this.begin(obj, REC_MAP, start, end, count);
    }
    beginSeq(obj, start, end, count) {
        return this.begin(obj, REC_SEQ, start, end, count);
    }
    /** The table's current size, to roll back to (see `rollback`). */
    mark() {
        return this.size;
    }
    /** Drops the records written since `mark`, those of `objects`. */
    rollback(mark, objects) {
        for (const obj of objects)
            this.index.delete(obj);
        this.size = mark;
    }
    pushItem(start, end) {
        const d = this.data;
        const p = this.size;
        d[p] = start;
        d[p + 1] = end;
        this.size = p + SEQ_ITEM;
    }
    pushEntry(key, ks, ke, vs, ve) {
        const d = this.data;
        const p = this.size;
        // Keys repeat (name, image, metadata…): one string of each, and a small table to send.
        const index = (this.keyIndex ??= new Map(this.keys.map((key, i) => [key, i])));
        let k = index.get(key);
        if (k === undefined) {
            k = this.keys.length;
            this.keys.push(key);
            index.set(key, k);
        }
        d[p] = k;
        d[p + 1] = ks;
        d[p + 2] = ke;
        d[p + 3] = vs;
        d[p + 4] = ve;
        this.size = p + MAP_ENTRY;
    }
    /** Sets the entry or item count of the record at `o` (-1: unknown, the entries written are dropped). */
    finish(o, count) {
        this.data[o + 3] = count;
        if (count < 0)
            this.size = o + HEADER;
    }
    forget(obj) {
        this.index.delete(obj);
    }
    /**
     * Keeps only the records of collections still reachable from the documents (after pruning), so
     * the objects pruned away, and their records, can be freed.
     */
    retainReachable(documents) {
        const d = this.data;
        const kept = [];
        let size = 0;
        walkCollections(documents, (obj) => {
            const o = this.index.get(obj);
            if (o === undefined)
                return;
            kept.push([obj, o]);
            if (o >= 0)
                size += d[o + 3] < 0 ? HEADER : HEADER + d[o + 3] * (d[o] === REC_MAP ? MAP_ENTRY : SEQ_ITEM);
        });
        const data = new Int32Array(size);
        const index = new Map();
        let at = 0;
        for (const [obj, o] of kept) {
            if (o < 0) {
                index.set(obj, o);
                continue;
            }
            const len = d[o + 3] < 0 ? HEADER : HEADER + d[o + 3] * (d[o] === REC_MAP ? MAP_ENTRY : SEQ_ITEM);
            data.set(d.subarray(o, o + len), at);
            index.set(obj, at);
            at += len;
        }
        this.data = data;
        this.size = size;
        this.index = index;
        this.keyIndex = undefined;
    }
    /** Drops the spare capacity (tables live as long as their file). */
    compact() {
        if (this === scratchOwner) {
            // The records move out of the shared buffer, which the next file's table then borrows.
            this.data = this.data.slice(0, this.size);
            scratchOwner = undefined;
        }
        else if (this.data.length > this.size + (this.size >> 3)) {
            this.data = this.data.slice(0, this.size);
        }
        this.keyIndex = undefined;
    }
    reserve(n) {
        if (this.size + n <= this.data.length)
            return;
        if (this.size === 0 && scratchOwner === undefined) {
            // The first records of a table: written into the shared buffer until compact().
            // eslint-disable-next-line @typescript-eslint/no-this-alias -- the lender must know which table holds its buffer
            scratchOwner = this;
            this.data = scratch;
            if (n <= scratch.length)
                return;
        }
        let cap = Math.max(this.data.length === 0 ? Math.max(256, this.text.length >> 3) : 256, this.data.length * 2);
        while (cap < this.size + n)
            cap *= 2;
        const next = new Int32Array(cap);
        next.set(this.data.subarray(0, this.size));
        if (this === scratchOwner)
            scratch = next;
        this.data = next;
    }
    /** The records in a form that structured clone copies cheaply (the buffer can be transferred). */
    exportPositions(documents) {
        const order = [];
        walkCollections(documents, (obj) => {
            const o = this.index.get(obj);
            order.push(o === undefined ? -1 : o);
        });
        return { data: this.data.slice(0, this.size), keys: this.keys, order: Int32Array.from(order) };
    }
    /** Rebuilds a table on structured-cloned documents from `exportPositions` of the original ones. */
    static importPositions(text, documents, t) {
        const table = new PositionTable(text);
        table.data = t.data;
        table.size = t.data.length;
        table.keys = t.keys;
        table.keyIndex = undefined;
        let i = 0;
        const order = t.order;
        walkCollections(documents, (obj) => {
            table.index.set(obj, i < order.length ? order[i] : -1);
            i++;
        });
        return table;
    }
}
const EMPTY_DATA = new Int32Array(0);
/**
 * One buffer for the records of the table being filled (files are parsed one at a time on a
 * thread), instead of a new one, grown by copies, per file: compact() copies the records out of it
 * at the end of the file and gives it back. A table that finds it lent out allocates its own.
 */
let scratch = new Int32Array(1 << 16);
let scratchOwner;
/**
 * Calls `visit` once for every mapping and sequence reachable from the documents, depth first in
 * property order. Structured clone keeps property order and shared references, so the walk over a
 * clone meets the objects in the same order as over the original.
 */
function walkCollections(documents, visit) {
    const seen = new Set();
    const stack = [];
    for (let d = documents.length - 1; d >= 0; d--)
        stack.push(documents[d].value);
    while (stack.length) {
        const v = stack.pop();
        if (v === null || typeof v !== 'object' || seen.has(v))
            continue;
        seen.add(v);
        visit(v);
        if (Array.isArray(v)) {
            for (let i = v.length - 1; i >= 0; i--) {
                const x = v[i];
                if (x !== null && typeof x === 'object')
                    stack.push(x);
            }
        }
        else {
            const vals = Object.values(v);
            for (let i = vals.length - 1; i >= 0; i--) {
                const x = vals[i];
                if (x !== null && typeof x === 'object')
                    stack.push(x);
            }
        }
    }
}
/** Offsets where the lines start, in a typed array (4 bytes a line). */
function computeLineStarts(text) {
    // One pass into a shared buffer (grown when a file has more lines), then copied out at its size.
    let starts = lineScratch;
    let n = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
        if (n === starts.length) {
            const grown = new Int32Array(starts.length * 2);
            grown.set(starts);
            starts = lineScratch = grown;
        }
        starts[n++] = i + 1;
    }
    return starts.slice(0, n);
}
/** computeLineStarts' buffer; its first entry, line 1's start, is always 0. */
let lineScratch = new Int32Array(1 << 14);
/**
 * The documents of a file that kubectl reads as a stream of JSON values (apimachinery's
 * YAMLOrJSONDecoder): when the first character that is not white space is `{`, it decodes one
 * JSON value after another, as Go's json.Decoder does (`{…}{…}` or one object per line, which is
 * no YAML). When a value does not decode and at most one did before, it reads the rest of the
 * file as YAML from there; after two or more, the file is a JSON stream and it stops with an
 * error. Undefined when the file is not such a stream of more than one value (the YAML splitter
 * then reads it as before: a JSON file of one object is YAML).
 */
function splitJsonStream(text) {
    const first = skipJsonSpace(text, skipUnicodeSpace(text, 0));
    if (text.charCodeAt(first) !== 123 /* { */)
        return undefined;
    const firstEnd = jsonValueEnd(text, first);
    if (firstEnd < 0 || skipJsonSpace(text, firstEnd) === text.length)
        return undefined;
    const chunks = [];
    let pos = first;
    let end = firstEnd;
    for (;;) {
        if (end >= 0 && isJson(text, pos, end)) {
            chunks.push({ start: pos, end, index: chunks.length });
            pos = skipJsonSpace(text, end);
            if (pos >= text.length)
                return chunks;
            end = jsonValueEnd(text, pos);
            continue;
        }
        if (chunks.length > 1) {
            const what = end < 0 && text.charCodeAt(pos) !== 123 && text.charCodeAt(pos) !== 91 ? 'no JSON value starts here' : 'this JSON value does not parse';
            const message = `invalid JSON after ${chunks.length} JSON objects: ${what}. A file whose first character is "{" is read by kubectl as a stream of JSON values, and it stops at the first one that does not parse`;
            chunks.push({ start: pos, end: text.length, index: chunks.length, error: message });
            return chunks;
        }
        if (chunks.length === 0)
            return undefined;
        // One value decoded: the rest is YAML (kubectl skips the white space before it, as here).
        for (const chunk of splitDocuments(text, pos))
            chunks.push({ ...chunk, index: chunks.length });
        return chunks;
    }
}
function skipJsonSpace(text, i) {
    while (i < text.length && isWsOrEol(text.charCodeAt(i)))
        i++;
    return i;
}
/** Past the white space Go's unicode.IsSpace knows, at the start of a stream (GuessJSONStream). JSON's own white space is isWsOrEol. */
function skipUnicodeSpace(text, i) {
    while (i < text.length && /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/.test(text[i]))
        i++;
    return i;
}
/**
 * The end of the JSON object or array that opens at `i` (brackets balanced outside strings), or
 * -1: not an object or array, or not closed. Whether it is valid JSON is isJson's question.
 */
function jsonValueEnd(text, i) {
    const open = text.charCodeAt(i);
    if (open !== 123 && open !== 91)
        return -1;
    let depth = 0;
    for (let k = i; k < text.length; k++) {
        const c = text.charCodeAt(k);
        if (c === DQUOTE) {
            for (k++; k < text.length; k++) {
                const d = text.charCodeAt(k);
                if (d === 92 /* \ */)
                    k++;
                else if (d === DQUOTE)
                    break;
            }
        }
        else if (c === 123 || c === 91) {
            depth++;
        }
        else if (c === 125 || c === 93) {
            if (--depth === 0)
                return k + 1;
        }
    }
    return -1;
}
function isJson(text, start, end) {
    try {
        JSON.parse(text.slice(start, end));
        return true;
    }
    catch {
        return false;
    }
}
/**
 * Splits a YAML stream into documents at lines that start with `---` or `...` followed by white
 * space or the end of the line. Such a line is a document marker wherever it appears (YAML 1.2
 * §9.1.4, c-forbidden), so this agrees with a full parser.
 */
function splitDocuments(text, from = 0) {
    const chunks = [];
    let chunkStart = from;
    const n = text.length;
    // Only lines that start with `---` or `...` matter: jump from one to the next.
    const re = MARKER_LINE;
    re.lastIndex = Math.max(0, from - 1);
    const atLineStart = from === 0 || text.charCodeAt(from - 1) === NL;
    let lineStart = atLineStart && (text.startsWith('---', from) || text.startsWith('...', from)) ? from : nextMatch(re, text);
    // Whether chunkStart follows a `...` line: what comes before the next `---` is no document to kubectl.
    let afterEnd = false;
    /** The chunk from chunkStart to `end`, refused when it follows `...` and holds content. */
    const push = (end) => {
        if (afterEnd && !isBlank(text, chunkStart, end) && !directivesOnly(text, chunkStart, end)) {
            const at = skipSpaceAndComments(text, chunkStart, end);
            chunks.push({ start: at, end, index: chunks.length, error: AFTER_END_MARKER, fix: 'write a --- line before it' });
        }
        else
            chunks.push({ start: chunkStart, end, index: chunks.length });
    };
    while (lineStart !== -1) {
        const c0 = text.charCodeAt(lineStart);
        const after = text.charCodeAt(lineStart + 3);
        const separator = c0 === DASH ? separatorLine(text, lineStart) : 'plain';
        if (separator !== 'plain' && separator !== 'odd') {
            // kubectl's YAMLReader stops the file at a `---` line with more than a comment after it, and
            // drops what it had read since the last `---` with it.
            const start = lineStart > chunkStart && !isBlank(text, chunkStart, lineStart) ? chunkStart : lineStart;
            chunks.push({ start, end: n, index: chunks.length, error: separator, errorAt: lineStart, fix: 'write --- alone on its line (a comment may follow it), and the content on the next line' });
            return chunks;
        }
        if (separator === 'odd') {
            // A separator to kubectl (which never parses the line) that YAML would read otherwise
            // (`---#c`, `---` and a no-break space, a control character in its comment): the next
            // document starts on the next line.
            if (lineStart > chunkStart && !directivesOnly(text, chunkStart, lineStart))
                push(lineStart);
            let lineEnd = text.indexOf('\n', lineStart);
            if (lineEnd === -1)
                lineEnd = n;
            chunkStart = Math.min(n, lineEnd + 1);
            afterEnd = false;
        }
        else if (lineStart + 3 >= n || isWsOrEol(after)) {
            if (c0 === DASH) {
                // `---` starts a new document; content may follow on the same line. Directives (`%YAML`,
                // `%TAG`) before it belong to that document.
                if (lineStart > chunkStart && !directivesOnly(text, chunkStart, lineStart)) {
                    push(lineStart);
                    chunkStart = lineStart;
                }
                afterEnd = false;
            }
            else {
                // `...` ends the current document.
                let lineEnd = text.indexOf('\n', lineStart);
                if (lineEnd === -1)
                    lineEnd = n;
                if (afterEnd)
                    push(lineStart);
                else
                    chunks.push({ start: chunkStart, end: lineEnd, index: chunks.length });
                chunkStart = Math.min(n, lineEnd + 1);
                afterEnd = true;
            }
        }
        re.lastIndex = lineStart;
        lineStart = nextMatch(re, text);
    }
    if (chunkStart < n)
        push(n);
    return chunks;
}
/**
 * kubectl splits a file at `---` lines only, and reads the first YAML document of each piece
 * (goyaml's Unmarshal): a document after `...` and before the next `---` is never applied.
 */
const AFTER_END_MARKER = 'kubectl never applies this document: after a "..." line, another document starts only at a "---" line (kubectl splits the file at --- lines, reads the first document of each piece and drops the rest without a word)';
// Go's unicode.IsSpace, which strings.TrimSpace trims (a byte order mark is none).
const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const GO_TRIM = new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, 'g');
// What YAML and kubectl both read as a separator line: `---`, then blanks and a printable comment.
// eslint-disable-next-line no-control-regex -- the characters a comment must not hold
const PLAIN_SEPARATOR = /^---(?:[ \t]*|[ \t]+#[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]*)\r?$/;
/**
 * What kubectl's YAMLReader (apimachinery util/yaml) makes of the line at `lineStart`, which opens
 * with `---`: a separator YAML reads alike ('plain'); a separator to kubectl that YAML would read
 * otherwise ('odd': `---#c`, `---` and a no-break space, a control character in its comment); or
 * why kubectl refuses it: more than white space or a comment after the dashes (`---foo`,
 * `--- !!map`, `--- {a: 1}`), which it takes for a broken separator.
 */
function separatorLine(text, lineStart) {
    const next = text.charCodeAt(lineStart + 3);
    if (next !== next || next === NL || next === 13 /* \r */)
        return 'plain'; // NaN: the end of the text
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1)
        lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd);
    if (PLAIN_SEPARATOR.test(line))
        return 'plain';
    const rest = line.slice(3).replace(GO_TRIM, '');
    if (rest === '' || rest.startsWith('#'))
        return 'odd';
    const shown = rest.length > 40 ? `${rest.slice(0, 40)}…` : rest;
    return `invalid document separator: kubectl takes a line that starts with --- for one, and allows only a comment after it ("invalid Yaml document separator: ${shown}"); it reads nothing of the file from here`;
}
/** True when the range holds directive lines (`%…`) and nothing else but comments and blank lines. */
function directivesOnly(text, start, end) {
    let directive = false;
    for (let i = start; i < end;) {
        let nl = text.indexOf('\n', i);
        if (nl === -1 || nl > end)
            nl = end;
        const c = text.charCodeAt(i);
        if (c === 37 /* % */)
            directive = true;
        else if (!yaml_restIsBlank(text, i, nl) && c !== HASH)
            return false;
        i = nl + 1;
    }
    return directive;
}
/** A line that starts with `---` or `...` (the match starts at the new line before it). */
const MARKER_LINE = /\n(?:---|\.\.\.)/g;
/** A line that does not start with a space (the match starts at the new line before it). */
const UNINDENTED_LINE = /\n[^ \n]/g;
/** Start of the line after the next match of `re` (from its lastIndex), or -1. */
function nextMatch(re, text) {
    const m = re.exec(text);
    return m ? m.index + 1 : -1;
}
function isBlank(text, start, end) {
    let i = start;
    while (i < end) {
        const c = text.charCodeAt(i);
        if (isWsOrEol(c)) {
            i++;
        }
        else if (c === HASH) {
            const nl = text.indexOf('\n', i);
            if (nl === -1 || nl >= end)
                return true;
            i = nl + 1;
        }
        else if (c === DASH && text.startsWith('---', i) && (i === start || text.charCodeAt(i - 1) === NL)) {
            i += 3;
        }
        else {
            return false;
        }
    }
    return true;
}
/** First offset at or after `i` that is not white space or inside a comment. */
function skipSpaceAndComments(text, i, limit) {
    while (i < limit) {
        const c = text.charCodeAt(i);
        if (isWsOrEol(c))
            i++;
        else if (c === HASH && (i === 0 || isWsOrEol(text.charCodeAt(i - 1)))) {
            const nl = text.indexOf('\n', i);
            i = nl === -1 ? limit : nl + 1;
        }
        else
            break;
    }
    return i;
}
/** Last offset (exclusive) before `i` that is not white space. */
function trimBack(text, i, floor) {
    while (i > floor && isWsOrEol(text.charCodeAt(i - 1)))
        i--;
    return i;
}
const DEFAULT_LIMITS = { maxDepth: 100, maxExpandedNodes: 1_000_000 };
// Scratch stacks of the listener, shared by every parse (parsing is synchronous): the open
// position of each node being built, and the children (start, end, empty, value) closed so far.
let frameOpen = [];
let frameBase = [];
let kidStart = [];
let kidEnd = [];
let kidEmpty = [];
let kidValue = [];
/**
 * Parses one document chunk of `text` (from `start` to `end`) and records positions into `table`.
 * Throws js-yaml's exception on a syntax error.
 */
function parseChunk(text, start, end, table, limits) {
    // js-yaml drops a BOM that opens its input (a document after `...`, a JSON value after another):
    // its offsets then count from the character after it.
    if (start < end && text.charCodeAt(start) === 0xfeff)
        start++;
    const src = start === 0 && end === text.length ? text : text.slice(start, end);
    const fOpen = frameOpen;
    const fBase = frameBase;
    const kS = kidStart;
    const kE = kidEnd;
    const kEmpty = kidEmpty;
    const kV = kidValue;
    let fTop = 0;
    let kTop = 0;
    let aliases = 0;
    // Offset of the first alias inside the node its anchor names (js-yaml builds a cycle), or -1.
    let recursive = -1;
    const limit = src.length;
    const listener = (event, state) => {
        if (event === 'open') {
            fOpen[fTop] = state.position;
            fBase[fTop] = kTop;
            fTop++;
            return;
        }
        if (fTop === 0)
            return;
        fTop--;
        const open = fOpen[fTop];
        const base = fBase[fTop];
        // js-yaml reads a line break it adds after input that lacks one: never past the text.
        const close = Math.min(state.position, limit);
        const value = state.result;
        let s = skipSpaceAndComments(src, open, limit);
        let e;
        let empty = false;
        if (s >= close) {
            // No content: an empty value (`key:` with nothing after it) or a probe by the parser.
            s = open;
            e = open;
            empty = true;
        }
        else {
            // Node properties (anchor `&a`, tag `!t`) precede the content: point at the content.
            let c = src.charCodeAt(s);
            while ((c === 38 /* & */ || c === 33 /* ! */) && s < close) {
                while (s < close && !isWsOrEol(src.charCodeAt(s)))
                    s++;
                s = skipSpaceAndComments(src, s, limit);
                c = src.charCodeAt(s);
            }
            if (c === 42 /* '*' alias */) {
                aliases++;
                // A collection is recorded when it closes: one not yet recorded is still open around its alias.
                if (recursive < 0 && value !== null && typeof value === 'object' && !table.has(value))
                    recursive = s + start;
                // The alias's name, as readAlias reads it (js-yaml closes the node after a comment that follows).
                e = s + 1;
                for (let c2 = src.charCodeAt(e); e < close && !isWsOrEol(c2) && c2 !== 44 && c2 !== 91 && c2 !== 93 && c2 !== 123 && c2 !== 125; c2 = src.charCodeAt(++e))
                    ;
            }
            else {
                const isObject = value !== null && typeof value === 'object';
                const isFlow = c === 123 /* { */ || c === 91; /* [ */
                e = !isFlow && kTop > base && isObject ? lastEnd(kE, kEmpty, base, kTop) - start : trimBack(src, close, s);
                if (isObject && !table.has(value))
                    record(table, value, s + start, e + start, base, kTop);
            }
        }
        kTop = base;
        kS[kTop] = s + start;
        kE[kTop] = e + start;
        kEmpty[kTop] = empty;
        kV[kTop] = value;
        kTop++;
    };
    try {
        // json: a key written twice keeps its last value instead of failing the document, as goyaml.v2
        // (kubectl's YAML decoder, into map[string]interface{}) and Go's JSON decoder keep it.
        yaml.loadAll(src, () => undefined, { schema: KUBE_SCHEMA, listener, maxDepth: limits.maxDepth, json: true });
        const docs = [];
        for (let i = 0; i < kTop; i++)
            docs.push({ start: kS[i], end: kE[i], value: kV[i] });
        return { docs, aliases, recursive };
    }
    finally {
        // Drop the references to the values; keep the stacks if they stayed small.
        kV.fill(undefined, 0, kTop);
        if (kV.length > 65536) {
            frameOpen = [];
            frameBase = [];
            kidStart = [];
            kidEnd = [];
            kidEmpty = [];
            kidValue = [];
        }
    }
}
function lastEnd(kE, kEmpty, base, top) {
    for (let i = top - 1; i >= base; i--)
        if (!kEmpty[i])
            return kE[i];
    return kE[top - 1];
}
const hasOwn = Object.prototype.hasOwnProperty;
/**
 * Records a collection's span and its children: a sequence's items, or a mapping's children
 * paired as key, value, key, value… (checked against the value: no record of entries otherwise).
 */
function record(table, value, start, end, base, top) {
    const kS = kidStart;
    const kE = kidEnd;
    const kEmpty = kidEmpty;
    if (Array.isArray(value)) {
        const n = top - base;
        let nonEmpty = n;
        if (n !== value.length) {
            nonEmpty = 0;
            for (let i = base; i < top; i++)
                if (!kEmpty[i])
                    nonEmpty++;
        }
        const items = n === value.length ? n : nonEmpty;
        if (items !== value.length) {
            table.begin(value, REC_SEQ, start, end, -1);
            return;
        }
        table.begin(value, REC_SEQ, start, end, items);
        for (let i = base; i < top; i++)
            if (n === items || !kEmpty[i])
                table.pushItem(kS[i], kE[i]);
        return;
    }
    let last = top;
    if ((top - base) % 2 === 1) {
        // A trailing probe the parser made for a next key that was not there.
        if (kEmpty[top - 1])
            last = top - 1;
        else {
            table.begin(value, REC_MAP, start, end, -1);
            return;
        }
    }
    const kV = kidValue;
    // A key written twice: its last value is the one kept (as kubectl's decoder keeps it), and its
    // position with it.
    let later;
    const seen = new Set();
    for (let i = last - 2; i >= base; i -= 2) {
        const key = String(kV[i]);
        if (key === '<<')
            continue;
        if (seen.has(key))
            (later ??= new Set()).add(`${i}`);
        else
            seen.add(key);
    }
    const o = table.begin(value, REC_MAP, start, end, (last - base) >> 1);
    let count = 0;
    let merged = false;
    for (let i = base; i + 1 < last; i += 2) {
        const key = String(kV[i]);
        if (later?.has(`${i}`))
            continue;
        if (key === '<<') {
            // Only the first merge key is kept (as a Map would keep it).
            if (merged)
                continue;
            merged = true;
        }
        else if (!hasOwn.call(value, key)) {
            table.finish(o, -1);
            return;
        }
        table.pushEntry(key, kS[i], kE[i], kS[i + 1], kE[i + 1]);
        count++;
    }
    table.finish(o, count);
}
/** Nodes a value stands for once aliases are expanded (memoised, so alias bombs cost linear time). */
function expandedSize(value, memo, cap) {
    if (value === null || typeof value !== 'object')
        return 1;
    const known = memo.get(value);
    if (known !== undefined)
        return known;
    memo.set(value, 1);
    let n = 1;
    const children = Array.isArray(value) ? value : Object.values(value);
    for (const child of children) {
        n += expandedSize(child, memo, cap);
        if (n > cap)
            break;
    }
    memo.set(value, n);
    return n;
}
/** A syntax error message without the source snippet js-yaml appends (it may quote secrets). */
function safeYamlMessage(err) {
    const e = err;
    const reason = typeof e?.reason === 'string' && e.reason ? e.reason : String(e?.message ?? err).split('\n')[0];
    return redactYamlReason(reason.replace(/\s*\(\d+:\d+\)\s*$/, ''));
}
/**
 * js-yaml's reasons that quote a piece of the source: an alias or tag name, which an unquoted
 * password starting with `*` or `!` becomes (`password: *Zq8…`). The name is left out, and the
 * message says what to do; the position still points at it.
 */
function redactYamlReason(reason) {
    if (/^unidentified alias /.test(reason))
        return 'unidentified alias (a value that starts with * names an anchor: quote it if it is a plain value)';
    // schema.ts: the value does not have the form its tag asks (goyaml fails the document the same way).
    if (reason.startsWith('cannot resolve a node with !<tag:yaml.org,2002:binary>'))
        return '!!binary value contains invalid base64 data';
    if (reason.startsWith('cannot resolve a node with !<tag:yaml.org,2002:timestamp>'))
        return 'a !!timestamp value that is not a timestamp (drop the tag)';
    if (/^(unknown tag|undeclared tag handle|tag name cannot contain|tag name is malformed|tag suffix cannot contain)/.test(reason)) {
        return `${reason.replace(/\s*(!<.*>|".*"|:.*)$/, '')} (a value that starts with ! is a tag: quote it if it is a plain value)`;
    }
    return reason;
}
/**
 * Kinds whose documents are not built: only `apiVersion`, `kind` and `metadata` are parsed (the
 * metadata keeps the namespace and name, so counts and namespaces do not change), and when:
 *  - `always`: whatever the document holds;
 *  - `no-spec`: when the document has no top-level `spec`;
 *  - `plain`: when the document's text holds none of `containers`, `ullSecret` (as in
 *    imagePullSecrets, pullSecrets, imagePullSecretName…) and `\\` (an escape could spell them).
 *
 * Why they cannot matter: the graph reads PodSpecs (a fixed path for Pod/PodTemplate/CronJob, else
 * `spec.template.spec` or `spec.jobTemplate.spec.template.spec` of any kind, which needs a
 * `containers` list), ServiceAccounts, Secrets and their producers (SealedSecret, ExternalSecret,
 * ClusterExternalSecret), the pull-secret-like fields anywhere under the `spec` of every other
 * kind (CustomResourceDefinition and ConfigMap excepted), and the namespaces and counts of every
 * object. A CustomResourceDefinition is cluster-scoped and never searched. The other kinds here
 * matter only through a `spec` they do not have, or, for `plain`, through names their text does not
 * contain. Unknown kinds (custom resources) are always built: they may hold a PodSpec or a pull
 * secret.
 *
 * A skipped document is not checked for syntax errors beyond its top-level lines and metadata.
 * In a file that holds `{{`, a document is skipped only when its text shows that template
 * detection could not flag it (templateSafe); the others are parsed with the parse filters, and
 * the fast path notes the template markers of the parts it leaves out (fastyaml.ts).
 */
const SKIPPABLE_KINDS = new Map([
    ['CustomResourceDefinition', 'always'],
    ['ConfigMap', 'no-spec'],
    ['Role', 'no-spec'],
    ['ClusterRole', 'no-spec'],
    ['RoleBinding', 'no-spec'],
    ['ClusterRoleBinding', 'no-spec'],
    ['MutatingWebhookConfiguration', 'no-spec'],
    ['ValidatingWebhookConfiguration', 'no-spec'],
    ['Service', 'plain'],
    ['Ingress', 'plain'],
    ['IngressClass', 'plain'],
    ['NetworkPolicy', 'plain'],
    ['PodDisruptionBudget', 'plain'],
    ['HorizontalPodAutoscaler', 'plain'],
    ['PersistentVolumeClaim', 'plain'],
    ['PersistentVolume', 'plain'],
    ['StorageClass', 'plain'],
    ['PriorityClass', 'plain'],
    ['Endpoints', 'plain'],
    ['EndpointSlice', 'plain'],
    ['LimitRange', 'plain'],
    ['ResourceQuota', 'plain'],
    ['APIService', 'plain'],
    ['Lease', 'plain'],
]);
/** Whether a needle occurs in a range of a text, for ranges asked in increasing order (each occurrence is searched once). */
class Occurrences {
    text;
    needle;
    at = -2;
    constructor(text, needle) {
        this.text = text;
        this.needle = needle;
    }
    within(start, end) {
        return this.first(start, end) >= 0;
    }
    /** Offset of the first occurrence in [start, end), or -1. */
    first(start, end) {
        if (this.at === -2 || (this.at !== -1 && this.at < start))
            this.at = this.text.indexOf(this.needle, start);
        return this.at !== -1 && this.at < end ? this.at : -1;
    }
}
const PLAIN_KEY_START = /[A-Za-z_]/;
/** A plain scalar that stays a string in KUBE_SCHEMA (no null/bool/number form). */
const SIMPLE_TOKEN = /^[A-Za-z][A-Za-z0-9./_-]*$/;
/** Offset after the quoted scalar starting at `i` if it closes before `end`, else -1. */
function closeQuote(text, i, end) {
    const q = text.charCodeAt(i);
    for (let j = i + 1; j < end; j++) {
        const c = text.charCodeAt(j);
        if (q === 34 && c === 92 /* \\ */)
            j++;
        else if (c === q) {
            if (q === 39 && text.charCodeAt(j + 1) === 39)
                j++;
            else
                return j + 1;
        }
    }
    return -1;
}
/** Offset after the flow collection starting at `i` if it closes before `end`, else -1. */
function closeFlow(text, i, end) {
    let depth = 0;
    for (let j = i; j < end; j++) {
        const c = text.charCodeAt(j);
        if (c === 34 || c === 39) {
            const k = closeQuote(text, j, end);
            if (k < 0)
                return -1;
            j = k - 1;
        }
        else if (c === 91 || c === 123)
            depth++;
        else if (c === 93 || c === 125) {
            if (--depth === 0)
                return j + 1;
        }
    }
    return -1;
}
/** True when only white space or a comment is left between `i` and `end`. */
function yaml_restIsBlank(text, i, end) {
    const j = skipInlineSpace(text, i, end);
    return j >= end || (text.charCodeAt(j) === HASH && (j === i ? j === 0 || isWsOrEol(text.charCodeAt(j - 1)) : true));
}
function skipInlineSpace(text, i, end) {
    while (i < end && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB || text.charCodeAt(i) === chars_CR))
        i++;
    return i;
}
/**
 * The top-level lines of a document chunk when it is a plain block mapping whose every value that
 * starts on its key's line and could run on to later lines (quoted scalars, flow collections) ends
 * on that line; undefined otherwise. Such a document's top-level keys are exactly these lines: a
 * line at column 0 can continue nothing else (block and plain scalars end before it).
 */
function topLevelLines(text, start, end) {
    const lines = [];
    let i = start;
    if (text.startsWith('---', i)) {
        let nl = text.indexOf('\n', i);
        if (nl === -1 || nl > end)
            nl = end;
        if (!yaml_restIsBlank(text, i + 3, nl))
            return undefined;
        i = nl + 1;
    }
    // Indented lines are never top-level: go from one line at column 0 to the next.
    const re = UNINDENTED_LINE;
    for (; i !== -1 && i < end; re.lastIndex = i, i = nextMatch(re, text)) {
        let nl = text.indexOf('\n', i);
        if (nl === -1 || nl > end)
            nl = end;
        const c = text.charCodeAt(i);
        if (c === SPACE || c === NL || c === chars_CR || c === HASH)
            continue;
        if (c === DOT && text.startsWith('...', i)) {
            // The document end marker: the last line of a chunk.
            if (!yaml_restIsBlank(text, i + 3, nl))
                return undefined;
            continue;
        }
        if (c === DASH && (i + 1 >= nl || isWsOrEol(text.charCodeAt(i + 1)))) {
            // An item of a block sequence written at column 0 (`rules:` then `- apiGroups: …`): the
            // content of the previous key, which must have no value on its own line.
            const prev = lines[lines.length - 1];
            if (!prev || prev.valueStart < lineEndOf(text, prev.lineStart, end) || !itemLineEnds(text, i, nl))
                return undefined;
            continue;
        }
        if (!PLAIN_KEY_START.test(text[i]))
            return undefined;
        let k = i + 1;
        while (k < nl && isKeyChar(text.charCodeAt(k)))
            k++;
        if (text.charCodeAt(k) !== 58 /* : */)
            return undefined;
        const after = text.charCodeAt(k + 1);
        if (k + 1 < nl && after !== SPACE && after !== TAB && after !== chars_CR)
            return undefined;
        const key = text.slice(i, k);
        for (const l of lines)
            if (l.key === key)
                return undefined;
        const v0 = skipInlineSpace(text, k + 1, nl);
        const v = skipProperties(text, v0, nl);
        const valueEnd = valueEndOnLine(text, v, nl);
        if (valueEnd < 0)
            return undefined;
        lines.push({ key, lineStart: i, valueStart: v, valueEnd, props: v !== v0 });
    }
    return lines;
}
/** Skips node properties (anchor `&a`, tag `!t`) before a value. */
function skipProperties(text, v, nl) {
    while (v < nl && (text.charCodeAt(v) === 38 || text.charCodeAt(v) === 33)) {
        while (v < nl && !isWsOrEol(text.charCodeAt(v)))
            v++;
        v = skipInlineSpace(text, v, nl);
    }
    return v;
}
/**
 * End of a value that starts at `v` on a line ending at `nl`: a quoted scalar or a flow
 * collection must close on the line (else -1); anything else ends with the line.
 */
function valueEndOnLine(text, v, nl) {
    const vc = text.charCodeAt(v);
    if (v < nl && (vc === 34 || vc === 39 || vc === 91 || vc === 123)) {
        const close = vc === 34 || vc === 39 ? closeQuote(text, v, nl) : closeFlow(text, v, nl);
        return close < 0 || !yaml_restIsBlank(text, close, nl) ? -1 : close;
    }
    return nl;
}
/** True when the sequence item line at `i` (`- …`, `- - …`, `- key: …`) ends its own line. */
function itemLineEnds(text, i, nl) {
    let v = i;
    while (v < nl && text.charCodeAt(v) === DASH && (v + 1 >= nl || isWsOrEol(text.charCodeAt(v + 1))))
        v = skipInlineSpace(text, v + 1, nl);
    v = skipProperties(text, v, nl);
    if (v < nl && PLAIN_KEY_START.test(text[v])) {
        let k = v + 1;
        while (k < nl && isKeyChar(text.charCodeAt(k)))
            k++;
        if (text.charCodeAt(k) === 58 && (k + 1 >= nl || isWsOrEol(text.charCodeAt(k + 1))))
            v = skipProperties(text, skipInlineSpace(text, k + 1, nl), nl);
    }
    return valueEndOnLine(text, v, nl) >= 0;
}
/**
 * The plain one-word value of a top-level line (`kind: ConfigMap`), or undefined. The next line
 * must start a new top-level entry (or end the document): an indented or blank line could carry
 * on a plain scalar (`kind: ConfigMap` then `  Extra` is the string "ConfigMap Extra").
 */
function plainToken(text, line, lineEnd, end) {
    const word = plainWord(text, line.valueStart, lineEnd);
    if (!word)
        return undefined;
    if (lineEnd + 1 < end) {
        const c = text.charCodeAt(lineEnd + 1);
        if (isWsOrEol(c) || c === HASH)
            return undefined;
    }
    return word;
}
/** The one word from `v` to the end of its line (a comment may follow) when it is a plain string (SIMPLE_TOKEN), else undefined. */
function plainWord(text, v, lineEnd) {
    let e = v;
    while (e < lineEnd && !isWsOrEol(text.charCodeAt(e)))
        e++;
    const value = text.slice(v, e);
    if (!SIMPLE_TOKEN.test(value) || NOT_STRINGS.has(value) || !yaml_restIsBlank(text, e, lineEnd))
        return undefined;
    return { value, end: e };
}
function lineEndOf(text, i, end) {
    const nl = text.indexOf('\n', i);
    return nl === -1 || nl > end ? end : nl;
}
/**
 * In a file that holds `{{`, template detection (templates.ts) reads every value of every
 * document: keys that hold `{{` or are objects (`[object Object]`), one-line values that name
 * Helm's objects, and the text of documents that do not parse. A document can be skipped there
 * only if none of that can be in it, which its text shows when nowhere a Helm or structural marker
 * is (templateMarkerIn, which also covers one-line block scalars), and, outside block scalars (`|`,
 * `>`: literal content, never a key), no node opens with `{` (a flow mapping, whose keys may be
 * objects), `?`, `*` or `[` where a key could be (explicit, alias or flow keys), no flow sequence
 * holds a `{`, no key holds a `{` or reads `[object Object]`, no double-quoted scalar holds an
 * escape (which could spell any of these), and no quoted scalar or flow sequence runs on past its
 * line. The continuation lines of a plain scalar (indented past its key) are text, whatever they
 * start with. Anything else makes the document parsed whole.
 */
function templateSafe(text, start, end) {
    // With a marker somewhere, each value is read for markers, except block scalars whose value
    // holds a line break: text, which template detection never flags (istio's sidecar template,
    // dashboards). That is every `|`, `>`, `|+` and `>+` with content (their last line break is
    // kept), and a `|-` over more than one line; a `>-` may fold into one line, so it is read.
    // Without a marker anywhere, only the document's shape counts.
    const markers = templateMarkerIn(text.slice(start, end)) >= 0;
    const marked = (from, to) => markers && templateMarkerIn(text.slice(from, to)) >= 0;
    let blockIndent = -1; // inside a block scalar whose parent node starts at this column
    let blockKind = 'text';
    let blockContent = -1; // the indentation of its first content line
    let blockLines = 0; // its lines so far, blank or not
    let blockLast = 0; // the number of its last line that is not blank
    let blockMarker = false; // a marker in a `|-`: a template unless the value holds a line break
    // The end of a block scalar: false when a `|-` with a marker turned out to be one line.
    const blockEnds = () => !(blockKind === 'literal-strip' && blockMarker && blockLast < 2);
    // After a plain scalar: its continuation lines are indented past this column (text, never keys).
    let plainIndent = -1;
    let plainStart = -1; // where that scalar's last line that is not blank starts
    for (let i = start; i < end;) {
        let nl = text.indexOf('\n', i);
        if (nl === -1 || nl > end)
            nl = end;
        const line = i;
        i = nl + 1;
        let c0 = line;
        while (c0 < nl && text.charCodeAt(c0) === SPACE)
            c0++;
        const indent = c0 - line;
        const blank = yaml_restIsBlank(text, c0, nl) && text.charCodeAt(c0) !== HASH;
        if (blockIndent >= 0 && (blank || indent > blockIndent)) {
            blockLines++;
            // An all-space line before the first content line may be too indented, which YAML rejects.
            if (markers && blank && blockContent < 0 && indent > 0)
                return false;
            if (markers && !blank) {
                blockLast = blockLines;
                // A content line less indented than the first ends the scalar where YAML cannot go on:
                // let the parser judge that document.
                if (blockContent < 0)
                    blockContent = indent;
                else if (indent < blockContent)
                    return false;
                if (blockKind !== 'text' && marked(c0, nl)) {
                    if (blockKind === 'folded-strip')
                        return false;
                    blockMarker = true;
                }
            }
            continue;
        }
        if (blockIndent >= 0 && !blockEnds())
            return false;
        blockIndent = -1;
        if (plainIndent >= 0) {
            // A comment line ends the scalar; a line indented past it goes on with its text.
            if (blank || (indent > plainIndent && text.charCodeAt(c0) !== HASH)) {
                // Its lines fold into one: a marker may run from the line before (blank lines between).
                if (!blank) {
                    if (marked(plainStart, nl))
                        return false;
                    plainStart = c0;
                }
                continue;
            }
            plainIndent = -1;
        }
        if (blank || text.charCodeAt(c0) === HASH)
            continue;
        if (marked(c0, nl))
            return false;
        // The node the line opens, after `- ` entries: a block scalar's content must be indented past
        // its parent's column (the key's, or the last `-`'s).
        let v = c0;
        let parentColumn = indent;
        while (v < nl && text.charCodeAt(v) === DASH && (v + 1 >= nl || isWsOrEol(text.charCodeAt(v + 1)))) {
            parentColumn = v - line;
            v = skipInlineSpace(text, v + 1, nl);
        }
        const first = text.charCodeAt(v);
        if (first === 123 /* { */ && emptyFlowMapping(text, v, nl))
            continue;
        if (first === TAB || first === 123 /* { */ || first === 63 /* ? */ || first === 42 /* * */ || first === 91 /* [ */)
            return false;
        const keyColumn = v - line;
        if (first === 34 || first === 39) {
            // A quoted key (closed on the line), or a quoted value, which may run on to later lines.
            const closeOnLine = closeQuote(text, v, nl);
            if (closeOnLine >= 0 && text.charCodeAt(closeOnLine) === 58 /* : */) {
                const key = text.slice(v, closeOnLine);
                if (!quotedSafe(text, v, closeOnLine) || key.includes('{') || key.includes('object Object'))
                    return false;
                v = closeOnLine + 1;
                parentColumn = keyColumn;
            }
            else {
                const next = afterQuotedValue(text, v, end);
                if (next < 0 || marked(v, next))
                    return false;
                i = next;
                continue;
            }
        }
        else {
            // A plain key (its text up to `: `, or to a `:` that ends the line), or a plain scalar.
            let colon = -1;
            for (let k = v; k < nl; k++) {
                const c = text.charCodeAt(k);
                if (c === 58 && (k + 1 >= nl || isWsOrEol(text.charCodeAt(k + 1)))) {
                    colon = k;
                    break;
                }
                if (c === HASH && isWsOrEol(text.charCodeAt(k - 1)))
                    break;
            }
            if (colon !== -1) {
                const key = text.slice(v, colon);
                if (key.includes('{') || key.includes('object Object'))
                    return false;
                v = colon + 1;
                parentColumn = keyColumn;
            }
            else {
                // A plain scalar: text, whatever it holds. Lines indented at least as far go on with it
                // (its parent is less indented), unless a comment ends it here.
                if (!endsWithComment(text, v, nl)) {
                    plainIndent = keyColumn - 1;
                    plainStart = v;
                }
                continue;
            }
        }
        v = skipProperties(text, skipInlineSpace(text, v, nl), nl);
        const vc = text.charCodeAt(v);
        if (v >= nl || vc === HASH || (vc === 123 /* { */ && emptyFlowMapping(text, v, nl)))
            continue;
        if (vc === 124 /* | */ || vc === 62 /* > */) {
            // A block scalar header: indentation and chomping indicators, then nothing but a comment.
            // Its content is the lines indented past the parent (a line less indented than an explicit
            // indentation indicator asks ends it, and is then not valid YAML: the document fails).
            let k = v + 1;
            for (let n = 0; n < 2 && k < nl && /[1-9+-]/.test(text[k]); n++)
                k++;
            if (!yaml_restIsBlank(text, k, nl))
                return false;
            blockIndent = parentColumn;
            blockKind = !text.slice(v + 1, k).includes('-') ? 'text' : vc === 124 ? 'literal-strip' : 'folded-strip';
            blockContent = -1;
            blockLines = 0;
            blockLast = 0;
            blockMarker = false;
        }
        else if (vc === 123 /* { */) {
            return false;
        }
        else if (vc === 91 /* [ */) {
            const close = closeFlow(text, v, nl);
            if (close < 0 || !yaml_restIsBlank(text, close, nl) || text.slice(v, close).includes('{') || text.slice(v, close).includes('\\'))
                return false;
        }
        else if (vc === 34 || vc === 39) {
            const next = afterQuotedValue(text, v, end);
            if (next < 0 || marked(v, next))
                return false;
            i = next;
        }
        else if (vc !== 42 /* * */ && !endsWithComment(text, v, nl)) {
            // A plain value: the lines indented past its key go on with it.
            plainIndent = parentColumn;
            plainStart = v;
        }
    }
    return blockIndent < 0 || blockEnds();
}
/** Whether a comment (`#` after a space or tab) follows `v` on its line. */
function endsWithComment(text, v, nl) {
    for (let k = v + 1; k < nl; k++) {
        if (text.charCodeAt(k) !== HASH)
            continue;
        const before = text.charCodeAt(k - 1);
        if (before === SPACE || before === TAB)
            return true;
    }
    return false;
}
/** A quoted scalar (from its opening quote to past its closing one) without escapes. */
function quotedSafe(text, open, close) {
    return text.charCodeAt(open) !== 34 || text.slice(open, close).indexOf('\\') === -1;
}
/**
 * Where the next line starts after a quoted value that opens at `open` (its content is text, on
 * one line or several: never a key), or -1 when it does not close before `end`, holds an escape,
 * or is followed by more than a comment.
 */
function afterQuotedValue(text, open, end) {
    const close = closeQuote(text, open, end);
    if (close < 0 || !quotedSafe(text, open, close))
        return -1;
    const nl = lineEndOf(text, close, end);
    return yaml_restIsBlank(text, close, nl) ? nl + 1 : -1;
}
/** `{}` and nothing else but a comment on the line. */
function emptyFlowMapping(text, v, nl) {
    const k = skipInlineSpace(text, v + 1, nl);
    return text.charCodeAt(k) === 125 /* } */ && yaml_restIsBlank(text, k + 1, nl);
}
/**
 * A skippable document built from its top-level lines: `{apiVersion, kind, metadata}` with
 * positions, or undefined when the document must be parsed whole (not a skippable kind, or not in
 * a form whose top level can be read line by line).
 */
function skippedDocument(text, start, end, table, limits, fast, filtered, plain, safe) {
    const lines = topLevelLines(text, start, end);
    if (!lines)
        return undefined;
    let kindLine;
    let apiLine;
    let metaIndex = -1;
    let hasSpec = false;
    for (let i = 0; i < lines.length; i++) {
        const l = lines[i];
        if (l.key === 'kind')
            kindLine = l;
        else if (l.key === 'apiVersion')
            apiLine = l;
        else if (l.key === 'metadata')
            metaIndex = i;
        else if (l.key === 'spec')
            hasSpec = true;
    }
    if (!kindLine || !apiLine)
        return undefined;
    if (kindLine.props || apiLine.props)
        return undefined;
    const kind = plainToken(text, kindLine, lineEndOf(text, kindLine.valueStart, end), end);
    const skip = kind && SKIPPABLE_KINDS.get(kind.value);
    if (!kind || !skip || (skip === 'no-spec' && hasSpec) || (skip === 'plain' && !plain()) || !safe())
        return undefined;
    const api = plainToken(text, apiLine, lineEndOf(text, apiLine.valueStart, end), end);
    if (!api)
        return undefined;
    let metadata;
    let metaEntry;
    if (metaIndex >= 0) {
        const m = lines[metaIndex];
        const regionEnd = metaIndex + 1 < lines.length ? lines[metaIndex + 1].lineStart : end;
        let root;
        const quick = fast ? fastDocument(text, m.lineStart, regionEnd, table, filtered ? ONLY_METADATA : undefined) : undefined;
        if (quick) {
            root = quick.value;
        }
        else {
            try {
                const parsed = parseChunk(text, m.lineStart, regionEnd, table, limits);
                if (parsed.recursive >= 0)
                    return undefined; // parsed whole, it is reported there
                root = parsed.docs.length === 1 ? parsed.docs[0].value : undefined;
            }
            catch {
                return undefined;
            }
        }
        if (root === null || typeof root !== 'object' || Array.isArray(root) || Object.keys(root).length !== 1 || !hasOwn.call(root, 'metadata'))
            return undefined;
        metadata = root.metadata;
        const ks = table.keySpan(root, 'metadata');
        const vs = table.valueSpan(root, 'metadata');
        table.forget(root);
        if (!ks || !vs)
            return undefined;
        metaEntry = { ks: ks.start, ke: ks.end, vs: vs.start, ve: vs.end };
    }
    const value = {};
    const first = lines[0].lineStart;
    const last = trimBack(text, end, first);
    const entries = [];
    for (const l of lines) {
        if (l === apiLine) {
            value.apiVersion = api.value;
            entries.push({ key: 'apiVersion', ks: l.lineStart, ke: l.lineStart + 10, vs: l.valueStart, ve: api.end });
        }
        else if (l === kindLine) {
            value.kind = kind.value;
            entries.push({ key: 'kind', ks: l.lineStart, ke: l.lineStart + 4, vs: l.valueStart, ve: kind.end });
        }
        else if (l.key === 'metadata' && metaEntry) {
            value.metadata = metadata;
            entries.push({ key: 'metadata', ...metaEntry });
        }
    }
    const o = table.begin(value, REC_MAP, first, last, entries.length);
    for (const e of entries)
        table.pushEntry(e.key, e.ks, e.ke, e.vs, e.ve);
    table.finish(o, entries.length);
    return { start: first, end: last, value };
}
/**
 * Start of the first line in [start, end) that begins with `kind:`, or -1 (`breaks`: the
 * occurrences of `\nkind:` in the text; documents asked in increasing order).
 */
function kindLine(text, breaks, start, end) {
    if (start === 0 && text.startsWith('kind:'))
        return 0;
    const nl = breaks.first(Math.max(0, start - 1), end - 1);
    return nl < 0 ? -1 : nl + 1;
}
/**
 * The kind named by the first `kind:` line at column 0 of a document, when it holds a plain word:
 * the kind to choose the parse filter by (fastDocument checks that the document has that kind).
 */
function kindOf(text, chunk, kinds) {
    const line = kindLine(text, kinds, chunk.start, chunk.end);
    if (line < 0)
        return undefined;
    const nl = lineEndOf(text, line, chunk.end);
    return plainWord(text, skipInlineSpace(text, line + 5, nl), nl)?.value;
}
// What goyaml's reader (yaml_parser_update_buffer) refuses: C0 controls but tab, LF and CR; DEL and
// the C1 controls but NEL; U+FFFE and U+FFFF. (NUL makes the file binary before this.)
// eslint-disable-next-line no-control-regex -- the very characters to find
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]/;
const yaml_NOT_PLAIN_ASCII = /[^\t\n\r\x20-\x7e]/;
/** The offset of the first character goyaml refuses between `start` and `end`, or undefined. */
function controlCharacterAt(text, start, end) {
    const m = CONTROL.exec(text.slice(start, end));
    return m === null ? undefined : start + m.index;
}
/**
 * Parses a whole YAML (or JSON) file into documents with positions. Never throws: errors come back
 * per document with their offset. A document that holds one of `invalidBytes` (bytes of the file
 * that are not UTF-8, at their offsets in `text`) is not built: it is an error there, as in
 * kubectl's YAML parser.
 */
function parseYamlFile(text, limits = DEFAULT_LIMITS, options = {}, invalidBytes = []) {
    const table = new PositionTable(text);
    const documents = [];
    const errors = [];
    const jsonStream = splitJsonStream(text);
    const chunks = jsonStream ?? splitDocuments(text);
    // Tabs, where goyaml refuses some that js-yaml takes (tabs.ts); a JSON stream takes any.
    const tabs = jsonStream === undefined ? new Occurrences(text, '\t') : undefined;
    const skipKinds = options.skipKinds !== false;
    // Whether template detection will read the values (only when the file has `{{`).
    const hasBraces = text.includes('{{');
    const templated = skipKinds && hasBraces;
    let skipped = 0;
    const containers = new Occurrences(text, 'containers');
    const pullSecret = new Occurrences(text, 'ullSecret');
    const backslash = new Occurrences(text, '\\');
    const fast = options.fast !== false;
    // Pruning at parse time (prune.ts parseFilter), by the kind each document's top-level line names.
    const filtered = fast && options.prune !== false;
    // The lines that start with `kind:`, found once per file: a document without one is neither
    // skipped by kind nor filtered.
    const kinds = new Occurrences(text, '\nkind:');
    const templateMarks = hasBraces && filtered ? [] : undefined;
    let nextInvalid = 0;
    // Characters goyaml's reader refuses anywhere in a YAML stream, comments and quoted strings
    // included, are looked for in the documents that are built (a skipped kind is not read for
    // them). A file that opens with `{` is read by Go's JSON decoder, which takes DEL and C1.
    const controlsRefused = jsonStream === undefined && text.charCodeAt(skipJsonSpace(text, skipUnicodeSpace(text, 0))) !== 123;
    /** The chunk's document is not built: an error at `offset`. */
    const refuse = (chunk, message, offset, fix) => errors.push({ message, offset, span: { start: chunk.start, end: chunk.end }, index: chunk.index, ...(fix === undefined ? {} : { fix }) });
    for (const chunk of chunks) {
        while (nextInvalid < invalidBytes.length && invalidBytes[nextInvalid].offset < chunk.start)
            nextInvalid++;
        const bad = invalidBytes[nextInvalid];
        if (bad !== undefined && bad.offset < chunk.end) {
            const hex = bad.byte.toString(16).toUpperCase().padStart(2, '0');
            refuse(chunk, `invalid UTF-8: byte 0x${hex} is not part of a UTF-8 character (save the file as UTF-8)`, bad.offset);
            continue;
        }
        if (chunk.error !== undefined) {
            refuse(chunk, chunk.error, chunk.errorAt ?? chunk.start, chunk.fix);
            continue;
        }
        if (isBlank(text, chunk.start, chunk.end))
            continue;
        if (tabs?.within(chunk.start, chunk.end)) {
            const tab = refusedTab(text, chunk.start, chunk.end);
            if (tab !== undefined) {
                refuse(chunk, `a tab where YAML takes only spaces (in the indentation, or after "- "): kubectl refuses it ("found ${tab.found}"); write spaces`, tab.offset);
                continue;
            }
        }
        // The kind its first `kind:` line names: a document of another kind is never skipped, and
        // reading its top-level lines for skippedDocument would be wasted.
        const named = kindOf(text, chunk, kinds);
        if (skipKinds && named !== undefined && SKIPPABLE_KINDS.has(named)) {
            const { start, end } = chunk;
            const plain = () => !containers.within(start, end) && !pullSecret.within(start, end) && !backslash.within(start, end);
            const safe = () => !templated || templateSafe(text, start, end);
            const stub = skippedDocument(text, start, end, table, limits, fast, filtered, plain, safe);
            if (stub) {
                documents.push({ value: stub.value, span: { start: stub.start, end: stub.end }, index: chunk.index });
                skipped++;
                continue;
            }
        }
        // Printable ASCII (most documents) holds none of the characters the parsers refuse.
        const ascii = !yaml_NOT_PLAIN_ASCII.test(text.slice(chunk.start, chunk.end));
        if (!ascii && controlsRefused) {
            const at = controlCharacterAt(text, chunk.start, chunk.end);
            if (at !== undefined) {
                const code = text.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0');
                const what = code === 'FFFE' || code === 'FFFF' ? 'a noncharacter' : 'a control character';
                refuse(chunk, `${what} (U+${code}) where YAML allows none: kubectl refuses the document ("control characters are not allowed"); remove it, or write it as an escape in a double-quoted string`, at);
                continue;
            }
        }
        if (fast) {
            // In a file that holds `{{`, the parts left out are read for template markers as they are
            // parsed (templateMarks: on the values, so an escape that spells a marker is seen too).
            const kind = filtered ? named : undefined;
            const doc = fastDocument(text, chunk.start, chunk.end, table, kind === undefined ? undefined : parseFilter(kind), kind, templateMarks, ascii);
            if (doc) {
                documents.push({ value: doc.value, span: { start: doc.start, end: doc.end }, index: chunk.index });
                continue;
            }
        }
        try {
            const { docs, aliases, recursive } = parseChunk(text, chunk.start, chunk.end, table, limits);
            for (const d of docs) {
                if (recursive >= d.start && recursive < d.end) {
                    // goyaml (kubectl) refuses it: "anchor 'x' value contains itself". (Its name is not
                    // quoted: an unquoted password that starts with * is an alias.)
                    refuse(chunk, 'an alias is inside the value its anchor names (a recursive alias, which kubectl rejects: "anchor value contains itself")', recursive);
                    continue;
                }
                if (aliases > 0 && expandedSize(d.value, new Map(), limits.maxExpandedNodes) > limits.maxExpandedNodes) {
                    refuse(chunk, `excessive aliasing: the document expands to more than ${limits.maxExpandedNodes} nodes (an alias bomb?)`, d.start);
                    continue;
                }
                documents.push({ value: d.value, span: { start: d.start, end: d.end }, index: chunk.index });
            }
        }
        catch (err) {
            const mark = err.mark;
            refuse(chunk, safeYamlMessage(err), chunk.start + Math.max(0, Math.min(mark?.position ?? 0, chunk.end - chunk.start)));
        }
    }
    table.compact();
    const file = { text, documents, errors, positions: table, skipped };
    if (templateMarks?.length)
        file.templateMarks = templateMarks;
    return file;
}

;// CONCATENATED MODULE: ./build/model/workloads.js
// Where PodSpecs live (SEMANTICS §7) and the images each one pulls.



/** One container (or image volume) of a PodSpec and the image it pulls. */
class ImageUse {
    slot;
    name;
    image;
    entry;
    specPath;
    index;
    pullPolicy;
    constructor(slot, 
    /** Container (or volume) name. */
    name, 
    /** The raw `image` value; undefined when the field is missing. */
    image, 
    /** The container/volume entry itself (its position record gives the image's at once). */
    entry, 
    /** Path of the PodSpec, and the entry's index in its list. */
    specPath, index) {
        this.slot = slot;
        this.name = name;
        this.image = image;
        this.entry = entry;
        this.specPath = specPath;
        this.index = index;
    }
    /** Path of the container/volume entry from the resource root (made when asked: rarely needed). */
    get entryPath() {
        return [...this.specPath, this.slot, this.index];
    }
    /** Path of the `image:` value (or `image.reference` for image volumes) from the resource root. */
    get path() {
        return this.slot === 'volumes' ? [...this.entryPath, 'image', 'reference'] : [...this.entryPath, 'image'];
    }
}
/** Core kinds whose PodSpec is not at spec.template.spec (SEMANTICS §7). */
const CORE_PATHS = {
    Pod: { apiVersion: 'v1', path: ['spec'] },
    PodTemplate: { apiVersion: 'v1', path: ['template', 'spec'] },
};
const TEMPLATE = ['spec', 'template', 'spec'];
const JOB_TEMPLATE = ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
const TEMPLATE_CONTAINERS = [...TEMPLATE, 'containers'];
const JOB_TEMPLATE_CONTAINERS = [...JOB_TEMPLATE, 'containers'];
/** KEDA's ScaledJob: a batch JobSpec at spec.jobTargetRef, whose Jobs it creates in its own namespace. */
const JOB_TARGET = ['spec', 'jobTargetRef', 'template', 'spec'];
const JOB_TARGET_CONTAINERS = [...JOB_TARGET, 'containers'];
/**
 * The PodSpec of a resource, if it has one: Pod and PodTemplate at their own paths; every other
 * kind (the apps/batch workloads, Argo Rollout, Knative Service, OpenShift DeploymentConfig, …)
 * wherever `spec.template.spec` or `spec.jobTemplate.spec.template.spec` holds a containers list,
 * and a KEDA ScaledJob's `spec.jobTargetRef.template.spec`.
 */
function podSpecPath(r) {
    const core = CORE_PATHS[r.kind];
    if (core && r.apiVersion === core.apiVersion)
        return isObj(get(r.obj, core.path)) ? core.path : undefined;
    if (Array.isArray(get(r.obj, TEMPLATE_CONTAINERS)))
        return TEMPLATE;
    if (Array.isArray(get(r.obj, JOB_TEMPLATE_CONTAINERS)))
        return JOB_TEMPLATE;
    if (r.kind === 'ScaledJob' && r.apiVersion.startsWith('keda.sh/') && Array.isArray(get(r.obj, JOB_TARGET_CONTAINERS)))
        return JOB_TARGET;
    return undefined;
}
const SLOTS = ['initContainers', 'containers', 'ephemeralContainers'];
/** Where the built-in workload kinds hold their PodSpec, by kind and API group. */
const BUILT_IN_POD_SPECS = new Map([
    ['Pod', { groups: [''], path: CORE_PATHS.Pod.path }],
    ['PodTemplate', { groups: [''], path: CORE_PATHS.PodTemplate.path }],
    ['ReplicationController', { groups: [''], path: TEMPLATE }],
    ['Deployment', { groups: ['apps', 'extensions'], path: TEMPLATE }],
    ['ReplicaSet', { groups: ['apps', 'extensions'], path: TEMPLATE }],
    ['StatefulSet', { groups: ['apps'], path: TEMPLATE }],
    ['DaemonSet', { groups: ['apps', 'extensions'], path: TEMPLATE }],
    ['Job', { groups: ['batch'], path: TEMPLATE }],
    ['CronJob', { groups: ['batch'], path: JOB_TEMPLATE }],
]);
/**
 * A container list of a built-in workload that kubectl cannot decode: not a list (`containers:`
 * written as a mapping), or holding an item that is not a mapping (`- nginx`), or a ServiceAccount
 * name that is no string (YAML's `yes`, `123`). The object never exists, and its images were never
 * pulled: said, not skipped silently.
 */
function undecodablePodField(obj) {
    const at = typeof obj.kind === 'string' ? BUILT_IN_POD_SPECS.get(obj.kind) : undefined;
    if (!at || typeof obj.apiVersion !== 'string')
        return undefined;
    const slash = obj.apiVersion.indexOf('/');
    if (!at.groups.includes(slash < 0 ? '' : obj.apiVersion.slice(0, slash)))
        return undefined;
    const spec = get(obj, at.path);
    if (!isObj(spec))
        return undefined;
    for (const slot of SLOTS) {
        const list = spec[slot];
        if (list === undefined || list === null)
            continue;
        if (!Array.isArray(list))
            return { holder: spec, key: slot, path: [...at.path, slot].join('.'), what: valueKind(list), list: true };
        for (let i = 0; i < list.length; i++) {
            const item = list[i];
            if (item !== null && !isObj(item))
                return { holder: list, key: i, path: `${[...at.path, slot].join('.')}[${i}]`, what: valueKind(item), list: false };
        }
    }
    // The ServiceAccount's name, which YAML may read as a boolean or a number (`serviceAccountName: yes`).
    for (const key of ['serviceAccountName', 'serviceAccount']) {
        const v = spec[key];
        if (v !== undefined && v !== null && typeof v !== 'string')
            return { holder: spec, key, path: [...at.path, key].join('.'), what: valueKind(v), list: false, string: true };
    }
    return undefined;
}
function podSpecOf(r) {
    if (r.namespace === undefined)
        return undefined;
    const path = podSpecPath(r);
    if (!path)
        return undefined;
    const spec = get(r.obj, path);
    const images = [];
    const triggered = imageChangeTriggered(r);
    for (const slot of SLOTS) {
        const list = spec[slot];
        if (!Array.isArray(list))
            continue;
        list.forEach((c, i) => {
            if (!isObj(c))
                return;
            // The image is not the manifest's to decide: the trigger writes it before any pod exists.
            if (triggered && slot !== 'ephemeralContainers' && (triggered.has(resources_str(c.name) ?? '') || triggered.has(`${slot}/${resources_str(c.name) ?? ''}`)))
                return;
            const use = new ImageUse(slot, resources_str(c.name) ?? `#${i}`, c.image, c, path, i);
            const policy = resources_str(c.imagePullPolicy);
            if (policy)
                use.pullPolicy = policy;
            images.push(use);
        });
    }
    const volumes = spec.volumes;
    if (Array.isArray(volumes)) {
        volumes.forEach((v, i) => {
            if (!isObj(v) || !isObj(v.image))
                return;
            const use = new ImageUse('volumes', resources_str(v.name) ?? `#${i}`, v.image.reference, v, path, i);
            const policy = resources_str(v.image.pullPolicy);
            if (policy)
                use.pullPolicy = policy;
            images.push(use);
        });
    }
    return { resource: r, spec, path, namespace: r.namespace, images };
}
/**
 * The containers whose image an OpenShift DeploymentConfig's automatic ImageChange triggers set
 * (`spec.triggers[].imageChangeParams`, `automatic: true`, `containerNames`): the controller
 * writes the image the ImageStreamTag resolves to into the template before it makes a pod, so the
 * template's own image (often a placeholder such as " ") is never pulled.
 */
function imageChangeTriggered(r) {
    if (r.kind !== 'DeploymentConfig' || !(r.apiVersion === 'v1' || r.apiVersion.startsWith('apps.openshift.io/')))
        return annotationTriggered(r);
    const triggers = get(r.obj, ['spec', 'triggers']);
    if (!Array.isArray(triggers))
        return undefined;
    let names;
    for (const t of triggers) {
        if (!isObj(t) || t.type !== 'ImageChange' || !isObj(t.imageChangeParams) || t.imageChangeParams.automatic !== true)
            continue;
        const list = t.imageChangeParams.containerNames;
        if (Array.isArray(list))
            for (const n of list)
                if (typeof n === 'string')
                    (names ??= new Set()).add(n);
    }
    return names;
}
/** A trigger's fieldPath that names a container's image: `spec.template.spec.containers[?(@.name=="web")].image`. */
const TRIGGER_FIELD = /(?:^|\.)(containers|initContainers)\[\?\(@\.name==(?:"([^"]*)"|'([^']*)')\)\]\.image$/;
/**
 * The containers (`slot/name`) whose image OpenShift's image trigger controller sets from the
 * `image.openshift.io/triggers` annotation of a Deployment, StatefulSet, DaemonSet, CronJob…
 * (what `oc new-app` writes, with the placeholder image " "): each trigger not paused, from an
 * ImageStreamTag or DockerImage, to the fieldPath of a container's image.
 */
function annotationTriggered(r) {
    const text = annotations(r)['image.openshift.io/triggers'];
    if (text === undefined)
        return undefined;
    let triggers;
    try {
        triggers = JSON.parse(text);
    }
    catch {
        return undefined;
    }
    if (!Array.isArray(triggers))
        return undefined;
    let names;
    for (const t of triggers) {
        if (!isObj(t) || t.paused === true || t.paused === 'true' || !isObj(t.from) || typeof t.fieldPath !== 'string')
            continue;
        const m = TRIGGER_FIELD.exec(t.fieldPath);
        if (m)
            (names ??= new Set()).add(`${m[1]}/${m[2] ?? m[3]}`);
    }
    return names;
}
function slotLabel(slot) {
    switch (slot) {
        case 'initContainers':
            return 'init container';
        case 'ephemeralContainers':
            return 'ephemeral container';
        case 'volumes':
            return 'image volume';
        default:
            return 'container';
    }
}
/**
 * Span of an image use's value: `spanAt(r, use.path)`, looked up from the container (or volume)
 * entry instead of walked down from the resource's root.
 */
function imageSpan(r, use) {
    const table = r.file.positions;
    const holder = use.slot === 'volumes' ? use.entry.image : use.entry;
    const span = table.valueSpan(holder, use.slot === 'volumes' ? 'reference' : 'image');
    return span ?? spanAt(r, use.path);
}
/** Where a finding about an image use points: its image value (the entry when the value is missing). */
function imageLocation(r, use) {
    return spanLocation(r.file, imageSpan(r, use));
}

;// CONCATENATED MODULE: ./build/source/files.js
// Reading one manifest file: size and binary guards, UTF-8, BOM, JSON or YAML, template markers.






const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** Range of a span, 1-based, end-exclusive. */
function spanRange(file, span) {
    return { start: file.positions.lineCol(span.start), end: file.positions.lineCol(Math.max(span.end, span.start)) };
}
function spanLocation(file, span) {
    return { file: file.path, range: spanRange(file, span) };
}
function looksBinary(text) {
    const probe = text.length > 8192 ? text.slice(0, 8192) : text;
    return probe.includes('\u0000');
}
const BOM_AFTER_MARKER = /^(---[^\n\r]*)(\r?\n)\uFEFF/m;
const BOM_AFTER_MARKER_ALL = /^(---[^\n\r]*)(\r?\n)\uFEFF/gm;
const LONE_CR = /\r(?!\n)/;
const LONE_CR_ALL = /\r(?!\n)/g;
/**
 * Turns the bytes of a file into a SourceFile: parsed documents with positions, or problems.
 * Documents of kinds that cannot matter are not built unless `options.skipKinds` is false.
 */
function files_loadSource(path, bytes, options = {}) {
    if (typeof bytes !== 'string' && bytes.length > MAX_FILE_BYTES)
        return oversizedSource(path, bytes.length);
    // A UTF-16 file with its byte order mark (what Windows PowerShell 5's `>` writes) is decoded as
    // kubectl decodes it (cli-runtime's FileVisitor: unicode.BOMOverride); anything else is UTF-8.
    const utf16 = typeof bytes === 'string' ? undefined : decodeUtf16(bytes);
    let text = typeof bytes === 'string' ? bytes : (utf16 ?? bytes.toString('utf8'));
    // Bytes that are not UTF-8 decode to U+FFFD (a one-byte text cannot hold it: no search then).
    let invalid;
    if (typeof bytes !== 'string' && utf16 === undefined && text.includes('\uFFFD') && !(0,external_node_buffer_namespaceObject.isUtf8)(bytes))
        ({ text, invalid } = decodeInvalidUtf8(bytes));
    let bom = 0;
    if (text.charCodeAt(0) === 0xfeff) {
        text = text.slice(1);
        bom = 1;
    }
    // A lone CR ends a line for YAML (js-yaml, goyaml) as LF does; the splitters and line tables
    // know LF and CRLF only, so lone CRs become LFs (the same length: offsets do not move).
    if (text.includes('\r') && LONE_CR.test(text))
        text = text.replace(LONE_CR_ALL, '\n');
    // Files saved with a BOM and joined with `---`: kubectl parses each document on its own, and
    // goyaml drops a BOM that opens its input. The BOM leaves the line after the marker and a space
    // ends the marker line instead: the same length, so every later offset stays where it was.
    if (text.includes('\uFEFF') && BOM_AFTER_MARKER.test(text))
        text = text.replace(BOM_AFTER_MARKER_ALL, '$1 $2');
    if (looksBinary(text))
        return unparsedSource(path, 'binary file (it contains NUL bytes); it is not YAML or JSON', 'leave it out of manifests, or save it as UTF-8 text (kubectl would reject it too)');
    // kubectl reads a JSON stream (a file that opens with `{`) with Go's JSON decoder, which takes
    // such bytes as U+FFFD; its YAML parser rejects the document that holds them.
    const badBytes = invalid && !/^\s*\{/.test(text) ? invalid.map((b) => ({ offset: b.offset - bom, byte: b.byte })) : undefined;
    const parsed = parseYamlFile(text, undefined, options, badBytes);
    const problems = [];
    const marker = findTemplateMarker(parsed);
    if (marker) {
        problems.push({ kind: 'template', message: 'file still contains Helm/Go template markers ({{ … }}); render it (helm template, kustomize build) and check the output', span: marker.span });
    }
    for (const err of parsed.errors) {
        // A document that fails because of template markers is explained by the template problem.
        if (marker && templateMarkerIn(text.slice(err.span.start, err.span.end)) >= 0)
            continue;
        problems.push({ kind: 'syntax', message: err.message, span: { start: err.offset, end: Math.min(err.offset + charLength(text, err.offset), Math.max(text.length, err.offset)) }, ...(err.fix === undefined ? {} : { fix: err.fix }) });
    }
    if (options.prune !== false && parsed.documents.length) {
        // Most of it was pruned while parsing (fastyaml.ts); the records of what is deleted now, and
        // of documents that failed half-way, must go.
        const deleted = pruneObjects(parsed.documents.map((d) => d.value));
        if (deleted || parsed.errors.length)
            parsed.positions.retainReachable(parsed.documents);
    }
    for (const doc of parsed.documents) {
        forEachObject(doc.value, (obj) => {
            const field = obj && undecodablePodField(obj);
            if (obj && field) {
                // kubectl cannot decode the object (a container list that is no list of mappings, a ServiceAccount name that is no string): it never exists.
                const span = parsed.positions.valueSpan(field.holder, field.key) ?? { start: doc.span.start, end: doc.span.start };
                if (field.string) {
                    const value = field.holder[field.key];
                    const written = text.slice(span.start, span.end);
                    // `serviceAccountName: {{ include … }}` (every `helm create` chart): unrendered-template says it.
                    if (templateMarkerIn(written) >= 0)
                        return;
                    const scalar = typeof value === 'boolean' || typeof value === 'number';
                    const what = !scalar ? field.what : written === String(value) ? `the ${typeof value} ${written}` : `the ${typeof value} ${String(value)} (YAML reads ${written} as one)`;
                    problems.push({
                        kind: 'syntax',
                        message: `${field.path} is ${what}, not a string, so the API server cannot decode the ${String(obj.kind)} and it never exists`,
                        span,
                        fix: scalar ? `quote it: ${field.key}: "${written}"` : 'write the ServiceAccount\'s name as a string',
                    });
                }
                else {
                    problems.push({
                        kind: 'syntax',
                        message: `${field.path} is ${field.what}, not ${field.list ? 'a list' : 'a mapping'}, so kubectl cannot decode the ${String(obj.kind)} and it never exists`,
                        span,
                        fix: field.list ? 'write the containers as a list of mappings (- name: … image: …)' : 'write the container as a mapping (name: …, image: …)',
                    });
                }
            }
            const key = obj && undecodableMetadata(obj);
            if (!obj || !key)
                return;
            // kubectl cannot decode the object (a string field holds a number or a boolean): it never exists.
            const meta = obj.metadata;
            const span = parsed.positions.valueSpan(meta, key) ?? { start: doc.span.start, end: doc.span.start };
            const written = text.slice(span.start, span.end);
            const value = meta[key];
            const scalar = typeof value === 'boolean' || typeof value === 'number';
            const what = !scalar ? (Array.isArray(value) ? 'a list' : 'a mapping') : written === String(value) ? `the ${typeof value} ${written}` : `the ${typeof value} ${String(value)} (YAML reads ${written} as one)`;
            problems.push({
                kind: 'syntax',
                message: `metadata.${key} is ${what}, not a string, so kubectl cannot decode the ${String(obj.kind)} and it never exists`,
                span,
                fix: scalar ? `quote it: ${key}: "${written}"` : `write the ${key} as a string`,
            });
        });
    }
    return { path, text, positions: parsed.positions, parsed, problems };
}
/** The text of a file that opens with a UTF-16 byte order mark (little or big endian), without it; else undefined. */
function decodeUtf16(bytes) {
    if (bytes.length < 2)
        return undefined;
    const even = bytes.length - (bytes.length % 2); // a last odd byte is no character
    if (bytes[0] === 0xff && bytes[1] === 0xfe)
        return bytes.toString('utf16le', 2, even);
    if (bytes[0] === 0xfe && bytes[1] === 0xff)
        return Buffer.from(bytes.subarray(2, even)).swap16().toString('utf16le');
    return undefined;
}
/**
 * Decodes bytes that are not all UTF-8: valid runs as UTF-8, each byte that is not part of a
 * well-formed character (Unicode's table 3-7) as one U+FFFD, whose offsets are returned.
 */
function decodeInvalidUtf8(bytes) {
    const parts = [];
    const invalid = [];
    let length = 0;
    let runStart = 0;
    const cont = (i, lo = 0x80, hi = 0xbf) => i < bytes.length && bytes[i] >= lo && bytes[i] <= hi;
    for (let i = 0; i < bytes.length;) {
        const b = bytes[i];
        let n = 0;
        if (b < 0x80)
            n = 1;
        else if (b >= 0xc2 && b <= 0xdf)
            n = cont(i + 1) ? 2 : 0;
        else if (b >= 0xe0 && b <= 0xef) {
            const lo = b === 0xe0 ? 0xa0 : 0x80;
            const hi = b === 0xed ? 0x9f : 0xbf;
            n = cont(i + 1, lo, hi) && cont(i + 2) ? 3 : 0;
        }
        else if (b >= 0xf0 && b <= 0xf4) {
            const lo = b === 0xf0 ? 0x90 : 0x80;
            const hi = b === 0xf4 ? 0x8f : 0xbf;
            n = cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3) ? 4 : 0;
        }
        if (n > 0) {
            i += n;
            continue;
        }
        if (runStart < i) {
            const run = bytes.toString('utf8', runStart, i);
            parts.push(run);
            length += run.length;
        }
        invalid.push({ offset: length, byte: b });
        parts.push('\uFFFD');
        length++;
        i++;
        runStart = i;
    }
    if (runStart < bytes.length)
        parts.push(bytes.toString('utf8', runStart));
    return { text: parts.join(''), invalid };
}
/** A file over MAX_FILE_BYTES: not read, one problem. */
function oversizedSource(path, size) {
    return unparsedSource(path, `file is ${size} bytes, over the ${MAX_FILE_BYTES}-byte limit; it was not read`, 'split it into smaller files, or leave it out of manifests');
}
/** A file that is not parsed: no text, one problem at its start. */
function unparsedSource(path, message, fix) {
    return { path, text: '', positions: new PositionTable(''), problems: [{ kind: 'syntax', message, span: { start: 0, end: 0 }, fix }] };
}
/** A file that could not be read: no documents, one problem. */
function files_unreadableSource(path, error) {
    const file = files_loadSource(path, '');
    file.readError = error;
    // A FIFO or device reached by a pattern is not opened (it could block the run); named on the command line, it is read.
    const fix = error.startsWith('not a regular file') ? 'leave it out of manifests (only the CLI reads a FIFO or a device, when it is named as a file)' : 'make it readable, or leave it out of manifests';
    file.problems.push({ kind: 'syntax', message: `cannot read the file (${error})`, span: { start: 0, end: 0 }, fix });
    return file;
}
/** UTF-16 units of the character at `offset`: 2 for a surrogate pair (an emoji), so that a range never splits one. */
function charLength(text, offset) {
    const c = text.charCodeAt(offset);
    return c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(offset + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
}

;// CONCATENATED MODULE: ./build/model/resources.js


/** Kinds that have no namespace. Unknown kinds are taken as namespaced. */
const CLUSTER_SCOPED = new Set([
    'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
    'StorageClass', 'PriorityClass', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
    'ValidatingAdmissionPolicy', 'ValidatingAdmissionPolicyBinding', 'APIService', 'IngressClass', 'RuntimeClass',
    'CSIDriver', 'CSINode', 'VolumeAttachment', 'ClusterExternalSecret', 'ClusterSecretStore', 'ClusterIssuer',
    'ClusterPolicy', 'ClusterRoleTemplate', 'PodSecurityPolicy', 'CertificateSigningRequest', 'FlowSchema',
    'PriorityLevelConfiguration', 'ComponentStatus', 'ClusterTriggerBinding', 'ClusterTask', 'ClusterInterceptor',
]);
/** A mapping, not a list. (Parsed values hold nothing else: `!!binary` and `!!timestamp` are strings, schema.ts.) */
function isObj(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v);
}
function resources_str(v) {
    return typeof v === 'string' ? v : undefined;
}
function get(obj, path) {
    let cur = obj;
    for (const key of path) {
        if (cur === null || typeof cur !== 'object')
            return undefined;
        cur = cur[key];
    }
    return cur;
}
function ref(r) {
    return r.namespace !== undefined ? { kind: r.kind, namespace: r.namespace, name: r.name } : { kind: r.kind, name: r.name };
}
function describe(r) {
    return r.namespace !== undefined ? `${r.kind} ${r.namespace}/${r.name}` : `${r.kind} ${r.name}`;
}
/**
 * Span of the node at `path` below `r.obj`, or of its nearest ancestor that exists: a finding
 * always points at real text, never at line 1 by default.
 */
function spanAt(r, path, key = false) {
    const table = r.file.positions;
    let best = table.span(r.obj);
    let cur = r.obj;
    for (let i = 0; i < path.length; i++) {
        const k = path[i];
        const last = i === path.length - 1;
        const s = key && last && typeof k === 'string' ? table.keySpan(cur, k) : table.valueSpan(cur, k);
        if (!s) {
            // A value a merge key brought in (`<<: *base`): the alias names where it comes from.
            const merged = typeof k === 'string' && cur !== undefined ? table.valueSpan(cur, '<<') : undefined;
            if (merged)
                best = merged;
            break;
        }
        best = s;
        cur = cur[k];
        if (cur === undefined || cur === null)
            break;
    }
    return best ?? { start: 0, end: 0 };
}
function rangeAt(r, path, key = false) {
    return spanRange(r.file, spanAt(r, path, key));
}
function locationAt(r, path, key = false) {
    return { file: r.file.path, range: rangeAt(r, path, key) };
}
/** Resources of a parsed file; `List`/`*List` documents (and lists in them) are expanded into their items. */
function extractResources(file, defaultNamespace) {
    const resources = [];
    const counts = { documents: 0, resources: 0, nonKubernetes: 0 };
    // loadSource reports each object kubectl cannot decode as a syntax problem: none, none to look for.
    const undecodable = file.problems.some((p) => p.kind === 'syntax');
    for (const doc of file.parsed?.documents ?? []) {
        counts.documents++;
        if (doc.value === null || doc.value === undefined)
            continue;
        forEachObject(doc.value, (obj, listIndex) => {
            if (obj === undefined)
                counts.nonKubernetes++;
            // An object the API server cannot decode never exists (loadSource reported it).
            else if (!undecodable || (undecodableMetadata(obj) === undefined && undecodablePodField(obj) === undefined))
                resources.push(makeResource(file, obj, defaultNamespace, doc.index, listIndex));
        });
    }
    counts.resources = resources.length;
    return { resources, counts };
}
/**
 * Calls `visit` with each Kubernetes object of a document's value (apiVersion and kind strings),
 * or undefined for what is not one. Lists inside a List are flattened too, as kubectl's
 * FlattenListVisitor does: their items come after the outer list's other items (`pending` is its
 * itemsToProcess). Parsed documents hold no cycles (a recursive alias is a syntax error), so this ends.
 */
function forEachObject(value, visit) {
    if (!isObj(value) || typeof value.kind !== 'string' || typeof value.apiVersion !== 'string')
        return visit(undefined);
    if (!isList(value))
        return visit(value);
    const pending = [value];
    for (let n = 0; n < pending.length; n++) {
        const list = pending[n];
        const items = Array.isArray(list.items) ? list.items : [];
        // A typed list (PodList, SecretList: what `kubectl get -o yaml` of one kind writes) names
        // neither on its items: the decoder kubectl uses sets them from the list (decodeToList).
        const itemKind = list.kind.slice(0, -'List'.length);
        items.forEach((item, i) => {
            if (isObj(item) && itemKind !== '' && (item.kind === undefined || item.kind === '') && (item.apiVersion === undefined || item.apiVersion === '')) {
                item.kind = itemKind;
                item.apiVersion = list.apiVersion;
            }
            if (!isObj(item) || typeof item.kind !== 'string' || typeof item.apiVersion !== 'string')
                visit(undefined);
            else if (isList(item))
                pending.push(item);
            else
                visit(item, i);
        });
    }
}
/**
 * The metadata field (`name` or `namespace`) the API server cannot decode into a string: a number,
 * a boolean (`namespace: no`, YAML 1.1's false), a list or a mapping. kubectl rejects the object.
 */
function undecodableMetadata(obj) {
    const meta = obj.metadata;
    if (!isObj(meta))
        return undefined;
    for (const key of ['name', 'namespace']) {
        const v = meta[key];
        if (v !== undefined && v !== null && typeof v !== 'string')
            return key;
    }
    return undefined;
}
/** A `List` (items or not), or a `*List` kind with an `items` list. */
function isList(v) {
    return typeof v.kind === 'string' && (v.kind === 'List' || (v.kind.endsWith('List') && Array.isArray(v.items)));
}
function makeResource(file, obj, defaultNamespace, docIndex, listIndex) {
    const meta = isObj(obj.metadata) ? obj.metadata : {};
    const kind = obj.kind;
    // `name: ""` is no name: the API server then names it from generateName, if one is given.
    const named = (resources_str(meta.name) ?? '') !== '';
    const generateName = resources_str(meta.generateName) ?? '';
    const name = named ? meta.name : generateName;
    const ns = resources_str(meta.namespace);
    const namespace = CLUSTER_SCOPED.has(kind) ? undefined : ns && ns.length > 0 ? ns : defaultNamespace;
    const r = { file, obj, apiVersion: obj.apiVersion, kind, name, docIndex };
    if (namespace !== undefined)
        r.namespace = namespace;
    if (namespace !== undefined && namespace !== ns)
        r.namespaceUnset = true;
    if (listIndex !== undefined)
        r.listIndex = listIndex;
    if (!named && generateName !== '')
        r.generated = true;
    return r;
}
function annotations(r) {
    return stringEntries(get(r.obj, ['metadata', 'annotations']));
}
/** The entries of a mapping whose values are strings (annotations, labels), or none. */
function stringEntries(v) {
    const out = {};
    if (isObj(v))
        for (const [k, x] of Object.entries(v))
            if (typeof x === 'string')
                out[k] = x;
    return out;
}

;// CONCATENATED MODULE: ./build/model/validation.js
// What makes the API server refuse an object, so that it never exists in the cluster: fields it
// cannot decode, and its name checks (k8s.io/apimachinery/pkg/util/validation, ValidateObjectMeta).

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** qualifiedNameFmt and labelValueFmt: alphanumerics at both ends, `-`, `_` and `.` inside. */
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;
/** IsDNS1123Label: namespaces. */
function isDns1123Label(s) {
    return s.length <= 63 && DNS1123_LABEL.test(s);
}
/** IsDNS1123Subdomain: the names of Secrets, ServiceAccounts and most objects. */
function isDns1123Subdomain(s) {
    return s.length <= 253 && DNS1123_SUBDOMAIN.test(s);
}
/** IsQualifiedName: label keys, and annotation keys (lowercased first). An optional DNS-subdomain prefix and `/`, then a name of at most 63 characters. */
function isQualifiedName(s) {
    const slash = s.indexOf('/');
    if (slash !== s.lastIndexOf('/'))
        return false;
    const name = slash < 0 ? s : s.slice(slash + 1);
    if (slash >= 0 && (slash === 0 || !isDns1123Subdomain(s.slice(0, slash))))
        return false;
    return name.length <= 63 && QUALIFIED_NAME_PART.test(name);
}
/** IsValidLabelValue: empty, or a name part of at most 63 characters. */
function isLabelValue(s) {
    return s === '' || (s.length <= 63 && QUALIFIED_NAME_PART.test(s));
}
/** IsConfigMapKey: the keys of a Secret's data and stringData. */
function isConfigMapKey(s) {
    return s.length <= 253 && CONFIG_MAP_KEY.test(s) && s !== '.' && s !== '..' && !s.startsWith('..');
}
/** What a value that should be a string is, in a message: `a number`, `a mapping`, `a sequence`. */
function validation_kindOf(v) {
    return Array.isArray(v) ? 'a sequence' : typeof v === 'object' && v !== null ? 'a mapping' : `a ${typeof v}`;
}
/** What a value that should have been another is, in a message: `a list`, `a mapping`, `a number`. */
function valueKind(v) {
    if (Array.isArray(v))
        return 'a list';
    return typeof v === 'object' ? 'a mapping' : `a ${typeof v}`;
}
function entriesOf(v) {
    return isObj(v) ? Object.entries(v) : [];
}
/** Labels and annotations are map[string]string: a value of another type cannot be decoded (null decodes to ""). */
function nonStringLabels(obj) {
    const metadata = obj.metadata;
    for (const field of ['labels', 'annotations']) {
        for (const [k, v] of entriesOf(metadata?.[field])) {
            if (typeof v !== 'string' && v !== null)
                return { what: `its ${field === 'labels' ? 'label' : 'annotation'} ${k} is ${validation_kindOf(v)}, not a string (quote it)`, path: ['metadata', field, k], decode: true };
        }
    }
    return undefined;
}
const NOT_QUALIFIED = 'is not a qualified name (an optional DNS subdomain prefix and /, then at most 63 characters: letters, digits, -, _ and ., starting and ending with a letter or digit)';
/** Annotations may hold at most this many bytes, keys and values together (TotalAnnotationSizeLimitB). */
const ANNOTATIONS_MAX_BYTES = 256 * 1024;
/**
 * The first problem ValidateObjectMeta finds, of those pullcheck reads, for an object whose name
 * must be a DNS subdomain (Secrets, ServiceAccounts): the name, label keys and values
 * (ValidateLabels), annotation keys and their total size (ValidateAnnotations). The API server
 * lists every problem; one is enough to say that the object never exists.
 */
function invalidMetadata(obj, kind) {
    const metadata = obj.metadata;
    const name = metadata?.name;
    const generateName = metadata?.generateName;
    if ((name === undefined || name === null || name === '') && !(typeof generateName === 'string' && generateName !== '')) {
        // ValidateObjectMeta: "name or generateName is required".
        return { what: 'it has no name (the API server requires metadata.name, or a generateName)', path: name === '' ? ['metadata', 'name'] : ['metadata'], decode: false };
    }
    if (typeof name === 'string' && name !== '' && !isDns1123Subdomain(name) && !placeholder(name)) {
        return { what: `its name ${JSON.stringify(name)} is not a valid ${kind} name (a DNS-1123 subdomain: lowercase letters, digits, - and ., starting and ending with a letter or digit, at most 253 characters)`, path: ['metadata', 'name'], decode: false };
    }
    for (const [k, v] of entriesOf(metadata?.labels)) {
        if (!isQualifiedName(k) && !placeholder(k))
            return { what: `its label key ${JSON.stringify(k)} ${NOT_QUALIFIED}`, path: ['metadata', 'labels', k], decode: false };
        if (typeof v === 'string' && !isLabelValue(v) && !placeholder(v)) {
            return { what: `its label ${k} has the value ${JSON.stringify(v)}, which is not a label value (at most 63 characters: letters, digits, -, _ and ., starting and ending with a letter or digit)`, path: ['metadata', 'labels', k], decode: false };
        }
    }
    let bytes = 0;
    for (const [k, v] of entriesOf(metadata?.annotations)) {
        if (!isQualifiedName(k.toLowerCase()) && !placeholder(k))
            return { what: `its annotation key ${JSON.stringify(k)} ${NOT_QUALIFIED}`, path: ['metadata', 'annotations', k], decode: false };
        bytes += Buffer.byteLength(k) + (typeof v === 'string' ? Buffer.byteLength(v) : 0);
    }
    if (bytes > ANNOTATIONS_MAX_BYTES)
        return { what: `its annotations hold ${bytes} bytes, more than the 262144 (256 KiB) the API server allows`, path: ['metadata', 'annotations'], decode: false };
    return undefined;
}
/**
 * A value still holding a template's placeholder (`{{ .Release.Name }}-sa`, `${VERSION}`): the
 * file is not rendered (unrendered-template says so), and the value it will hold is unknown.
 */
function placeholder(s) {
    return s.includes('{{') || s.includes('${');
}
/** The sentence's end for a refusal of `label` (`Secret`, `ServiceAccount`): decoded or validated. */
function refusalDetail(r, label) {
    return `${r.what}, so the API server ${r.decode ? `cannot decode the ${label}` : `refuses the ${label}`} and it never exists`;
}

;// CONCATENATED MODULE: ./build/nearest.js
// "Did you mean …?": the nearest of some names to a word that is probably a typo of one of them.
/** The edit distance of `a` and `b`, or `max + 1` as soon as it is known to exceed `max`. */
function editDistance(a, b, max) {
    if (Math.abs(a.length - b.length) > max)
        return max + 1;
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let diagonal = row[0];
        row[0] = i;
        let least = row[0];
        for (let j = 1; j <= b.length; j++) {
            const above = row[j];
            row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
            diagonal = above;
            if (row[j] < least)
                least = row[j];
        }
        if (least > max)
            return max + 1;
    }
    return row[b.length];
}
const squash = (s) => s.toLowerCase().replace(/[-_\s]/g, '');
/** The candidates lower-cased, by their squashed form, and their total length: made once per list (rules ask with the same list many times). */
const prepared = new WeakMap();
function prepare(candidates) {
    let p = prepared.get(candidates);
    if (!p) {
        const bySquash = new Map();
        let length = 0;
        for (const c of candidates) {
            if (!bySquash.has(squash(c)))
                bySquash.set(squash(c), c);
            length += c.length;
        }
        p = { lower: candidates.map((c) => c.toLowerCase()), bySquash, length };
        prepared.set(candidates, p);
    }
    return p;
}
/**
 * The candidate nearest to `word` when it is a close typo (case, `-`/`_` and a few edits), else
 * undefined. Pass the same array for the same candidates: what is computed of them is kept.
 */
function nearest(word, candidates) {
    const { lower, bySquash } = prepare(candidates);
    const same = bySquash.get(squash(word));
    if (same !== undefined)
        return same;
    const limit = Math.min(Math.max(2, Math.floor(word.length / 4)), Math.ceil(word.length / 2) - 1);
    if (limit < 0)
        return undefined;
    const w = word.toLowerCase();
    let best;
    let bestDistance = limit + 1;
    for (let i = 0; i < candidates.length; i++) {
        const d = editDistance(w, lower[i], bestDistance - 1);
        if (d < bestDistance) {
            best = candidates[i];
            bestDistance = d;
        }
    }
    return best;
}
/**
 * `nearest` with a budget shared by all its calls, for the rules that ask once per finding. The
 * budget counts the cells of the edit-distance tables a call may fill (the word's length times the
 * candidates' lengths), not comparisons: long names cost their length squared each, so that
 * thousands of missing names against thousands of candidates, or a few hundred long ones, would
 * cost minutes. Past the budget, no more suggestions; the findings stand without their hint. The
 * same question (a word and a candidate list) is answered once, whatever it costs.
 */
function budgetedNearest(budget = 50_000_000) {
    let left = budget;
    const answers = new WeakMap();
    return (word, candidates) => {
        let known = answers.get(candidates);
        if (known?.has(word))
            return known.get(word);
        const cost = (word.length + 1) * (prepare(candidates).length + candidates.length);
        if (left < cost)
            return undefined;
        left -= cost;
        const answer = nearest(word, candidates);
        if (!known)
            answers.set(candidates, (known = new Map()));
        known.set(word, answer);
        return answer;
    };
}

;// CONCATENATED MODULE: ./build/paths.js
// Paths as reports show them.

/** `file` relative to `dir` with forward slashes when it lies below it, else as it is. */
function displayPath(file, dir) {
    const rel = external_node_path_.relative(dir, file);
    const below = rel !== '' && rel !== '..' && !rel.startsWith(`..${external_node_path_.sep}`) && !external_node_path_.isAbsolute(rel);
    return below ? rel.split(external_node_path_.sep).join('/') : file;
}

;// CONCATENATED MODULE: ./build/options.js
// The one typed Options object shared by the CLI, the action and the config file: the option table,
// defaults, and the parsing and validation of every value, whichever front end it came from.
// Synchronous reads: node:fs/promises costs ~1 ms of start-up (Node 24) for two small reads.










const DEFAULT_MANIFESTS = ['**/*.yaml', '**/*.yml', '**/*.json'];
const CONFIG_FILE_NAMES = ['.pullcheck.yml', '.pullcheck.yaml'];
const FAIL_ON_VALUES = ['error', 'warning', 'notice', 'never'];
const RULE_SETTINGS = ['off', 'notice', 'warning', 'error'];
/** A configuration or usage error: exit code 2 on the CLI, `setFailed` in the action. */
class OptionsError extends Error {
    /** One line per problem; `message` joins them. */
    problems;
    constructor(problems) {
        const list = typeof problems === 'string' ? [problems] : problems;
        super(list.join('\n'));
        this.name = 'OptionsError';
        this.problems = list;
    }
}
const OPTION_TABLE = [
    {
        kebab: 'manifests',
        camel: 'manifests',
        kind: 'list',
        default: DEFAULT_MANIFESTS,
        valueName: 'globs',
        description: 'globs or directories of the rendered manifests, comma- or newline-separated (not inside {…}); !glob excludes, and excludes alone narrow the default',
    },
    {
        kebab: 'working-directory',
        camel: 'workingDirectory',
        kind: 'path',
        default: '.',
        valueName: 'dir',
        description: 'root for the globs, the config file and the reported paths: relative paths (config, sarif-file, report-file) are taken from it',
        inConfigFile: false,
    },
    {
        kebab: 'config',
        camel: 'config',
        kind: 'path',
        default: undefined,
        valueName: 'file',
        description: 'config file (default: .pullcheck.yml or .pullcheck.yaml in the working directory, if present)',
        inConfigFile: false,
    },
    {
        kebab: 'private-registries',
        camel: 'privateRegistries',
        kind: 'registryPatterns',
        default: [],
        valueName: 'patterns',
        description: 'registry patterns (host[:port][/path-prefix], * inside host labels) whose images always need a pull secret',
    },
    {
        kebab: 'public-registries',
        camel: 'publicRegistries',
        kind: 'registryPatterns',
        default: [],
        valueName: 'patterns',
        description: 'registry patterns whose images are public and never checked',
    },
    {
        kebab: 'node-credentials',
        camel: 'nodeCredentials',
        kind: 'registryPatterns',
        default: [],
        valueName: 'patterns',
        description: 'registry patterns the nodes pull from with their own identity (ECR node role, GKE, AKS kubelet identity, a mirror)',
    },
    {
        kebab: 'existing-secrets',
        camel: 'existingSecrets',
        kind: 'secrets',
        default: [],
        valueName: 'ns/name[=registry,…]',
        description: 'pull secrets that exist in the cluster outside the manifests; */name for every namespace. After =, commas separate registries until a piece of the form ns/name, which starts the next entry (or separate entries by newlines)',
    },
    {
        kebab: 'existing-service-accounts',
        camel: 'existingServiceAccounts',
        kind: 'serviceAccounts',
        default: [],
        valueName: 'ns/name',
        description: 'ServiceAccounts that exist in the cluster outside the manifests',
    },
    {
        kebab: 'existing-namespaces',
        camel: 'existingNamespaces',
        kind: 'list',
        default: [],
        valueName: 'names',
        namespaceNames: true,
        description: 'namespaces that exist in the cluster outside the manifests',
    },
    {
        kebab: 'default-namespace',
        camel: 'defaultNamespace',
        kind: 'string',
        default: 'default',
        valueName: 'name',
        namespaceNames: true,
        description: 'namespace of the objects that name none',
    },
    {
        kebab: 'fail-on',
        camel: 'failOn',
        kind: 'enum',
        default: 'error',
        values: FAIL_ON_VALUES,
        valueName: 'level',
        description: 'fail when a finding has this severity or a higher one; never: report only',
    },
    {
        kebab: 'annotations',
        camel: 'annotations',
        kind: 'boolean',
        default: true,
        description: 'emit GitHub annotations on the offending lines',
        actionOnly: 'the CLI prints annotations when --format github is given, and only then',
    },
    {
        kebab: 'summary',
        camel: 'summary',
        kind: 'boolean',
        default: true,
        description: 'write the job summary',
        actionOnly: 'the CLI writes no job summary',
    },
    {
        kebab: 'sarif-file',
        camel: 'sarifFile',
        kind: 'path',
        default: undefined,
        valueName: 'file',
        description: 'write a SARIF 2.1.0 report to this file',
    },
    {
        kebab: 'report-file',
        camel: 'reportFile',
        kind: 'path',
        default: undefined,
        valueName: 'file',
        description: 'write the JSON report to this file',
    },
    {
        kebab: 'only-changed',
        camel: 'onlyChanged',
        kind: 'boolean',
        default: false,
        description: 'in a pull request, report only findings in the files it changes (the graph still uses every file)',
        actionOnly: 'the CLI reports every finding',
    },
    {
        kebab: 'github-token',
        camel: 'githubToken',
        kind: 'string',
        default: undefined,
        actionDefault: '${{ github.token }}',
        valueName: 'token',
        secret: true,
        description: 'token for only-changed and for check-run annotations beyond the per-step limit',
        actionOnly: 'the CLI makes no request to GitHub',
    },
    {
        kebab: 'registry-probe',
        camel: 'registryProbe',
        kind: 'boolean',
        default: false,
        description: 'ask the registries whether each image exists and can be pulled with its credentials (network, opt-in; not built yet: setting it only prints a warning)',
    },
    {
        kebab: 'registry-credentials',
        camel: 'registryCredentials',
        kind: 'string',
        default: undefined,
        valueName: 'json',
        secret: true,
        description: 'docker config JSON used by the registry probe (pass it from a secret)',
    },
];
const SPECS = OPTION_TABLE;
const BY_CAMEL = new Map(SPECS.map((s) => [s.camel, s]));
const BY_KEBAB = new Map(SPECS.map((s) => [s.kebab, s]));
/** Keys a config file may hold (camelCase; the kebab-case names are accepted too). */
const CONFIG_FILE_KEYS = [
    ...SPECS.filter((s) => s.inConfigFile !== false).map((s) => s.camel),
    'rules',
];
/**
 * What the front ends must say about options that are accepted but do not act (yet): a set
 * option must never be ignored silently.
 */
function optionWarnings(options) {
    const out = [];
    if (options.registryProbe) {
        out.push('registry-probe is set, but the registry probe is not built yet in this version: no registry was asked; the static checks ran as usual.');
    }
    else if (options.registryCredentials !== undefined) {
        out.push('registry-credentials is set, but registry-probe is not: only the registry probe uses them, so they were not used.');
    }
    const patterns = [
        ['node-credentials', options.nodeCredentials],
        ['public-registries', options.publicRegistries],
        ['private-registries', options.privateRegistries],
        ['existing-secrets', options.existingSecrets.flatMap((s) => s.registries)],
    ];
    for (const [name, list] of patterns) {
        for (const pattern of new Set(list)) {
            const problem = patternNeverMatches(pattern);
            if (problem)
                out.push(`${name}: the pattern ${quote(pattern)} ${problem}.`);
        }
    }
    return out;
}
/** Hosts that name Docker Hub, whose images are nonetheless docker.io/… once normalised. */
const DOCKER_HUB_ALIASES = new Set(['index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com', 'hub.docker.com']);
/**
 * Why a well-formed registry pattern can match no image (it is matched as the kubelet matches a
 * key), or undefined: a Docker Hub host other than docker.io with a path, or a host the kubelet
 * never takes for Docker Hub; `*` alone, which is one host label.
 */
function patternNeverMatches(pattern) {
    const slash = pattern.indexOf('/');
    const host = slash < 0 ? pattern : pattern.slice(0, slash);
    const repoPath = slash < 0 ? '' : pattern.slice(slash);
    if (DOCKER_HUB_ALIASES.has(host)) {
        // The kubelet reads /v1/… and /v2/… as the host itself (ResolveAuthConfig's equivalence).
        const meant = /^\/v[12](\/|$)/.test(repoPath) ? repoPath.slice(3) : repoPath;
        const sample = `docker.io${meant === '' || meant === '/' ? '/library/nginx' : meant.replace(/\/$/, '') + '/app'}`;
        const key = normalizeKey(pattern);
        if (key === undefined || !keyCovers(key, sample)) {
            return `matches no Docker Hub image: they are named docker.io/… once normalised (${sample}), and the kubelet's rules take ${host}${repoPath} for another registry; write docker.io${meant === '/' ? '' : meant}`;
        }
    }
    if (/^\*+$/.test(host))
        return `matches only registries whose host is one label (localhost), as ${host} stands for one label of a host name (ghcr.io has two); list the registries instead`;
    // An image's first path component is its registry only with a dot, a port or `localhost`:
    // `acme/app` is Docker Hub's docker.io/acme/app, so the key `acme` never meets an image.
    if (!host.includes('.') && !host.includes(':') && host !== 'localhost' && !host.includes('*')) {
        return `matches only images whose first part has an upper-case letter (${host.toUpperCase()}/app): ${host} has no dot and no port, and an image such as ${host}/app is read as Docker Hub's docker.io/${host}/app; write docker.io/${host} for that, or the registry's full host name`;
    }
    return undefined;
}
/**
 * One sentence naming what the patterns reached but nothing read (see AnalyzeResult.notRead), the
 * first few by name; undefined when everything was read.
 */
function notReadWarning(notRead, shown = 5) {
    if (notRead.length === 0)
        return undefined;
    const named = notRead.slice(0, shown).map((n) => `${n.file} (${n.reason})`);
    const more = notRead.length > shown ? `, and ${notRead.length - shown} more (listed in the JSON report's files)` : '';
    return `${notRead.length} ${notRead.length === 1 ? 'path was' : 'paths were'} not read: ${named.join('; ')}${more}.`;
}
/**
 * With yaml-syntax-error off, the files that could not be read or parsed would go unsaid: one
 * sentence naming them (the first few), as eslint never lets a rule setting hide a parsing error.
 */
function unparsedWarning(files, rules, shown = 5) {
    if (rules['yaml-syntax-error'] !== 'off')
        return undefined;
    const failed = files.filter((f) => f.status === 'error');
    if (failed.length === 0)
        return undefined;
    const named = failed.slice(0, shown).map((f) => (f.reason ? `${f.file} (${f.reason})` : f.file));
    const more = failed.length > shown ? `, and ${failed.length - shown} more (listed in the JSON report's files)` : '';
    return `yaml-syntax-error is off, but ${failed.length} ${failed.length === 1 ? 'file' : 'files'} could not be read or parsed (in part or whole), and what could not be read was not checked: ${named.join('; ')}${more}.`;
}
/**
 * One sentence naming the `manifests` patterns that match no file while others do (a typo, or a
 * directory that moved: the manifests meant would go unchecked without a word). The default
 * globs are left out: a repository without JSON files is normal; so are the patterns whose files
 * an exclude all leaves out (`excludedOnly`): they matched. Undefined when there is nothing to
 * say, or when nothing matched at all (the front ends say that instead).
 */
function unmatchedWarning(unmatched, excludedOnly, filesFound) {
    if (filesFound === 0)
        return undefined;
    const named = unmatched.filter((p) => !DEFAULT_MANIFESTS.includes(p) && !excludedOnly.includes(p));
    if (named.length === 0)
        return undefined;
    const list = named.map((p) => JSON.stringify(p)).join(', ');
    return named.length === 1
        ? `the manifests pattern ${list} matches no file; the files it was meant for, if any, were not checked (a typo, or a directory that moved?).`
        : `the manifests patterns ${list} match no file; the files they were meant for, if any, were not checked (typos, or directories that moved?).`;
}
/** The option kinds whose values are lists. */
const LIST_KINDS = new Set(['list', 'registryPatterns', 'secrets', 'serviceAccounts']);
/** Every default, for a given working directory (tests and programmatic use). */
function defaultOptions(workingDirectory) {
    return {
        manifests: [...DEFAULT_MANIFESTS],
        workingDirectory,
        privateRegistries: [],
        publicRegistries: [],
        nodeCredentials: [],
        existingSecrets: [],
        existingServiceAccounts: [],
        existingNamespaces: [],
        defaultNamespace: 'default',
        failOn: 'error',
        annotations: true,
        summary: true,
        onlyChanged: false,
        registryProbe: false,
        rules: {},
    };
}
// ---------------------------------------------------------------------------------------------
// Lists
/**
 * Comma- or newline-separated values, trimmed, empties dropped. A comma inside braces is a glob's
 * alternatives (`{base,overlays}/*.yaml`), not a separator: the glob stays whole, as a shell and
 * eslint keep it. No other list option has braces.
 */
function splitList(value) {
    const out = [];
    for (const line of value.split(/\r\n|\r|\n/)) {
        let depth = 0;
        let start = 0;
        for (let i = 0; i < line.length; i++) {
            const c = line[i];
            if (c === '\\')
                i++;
            else if (c === '{')
                depth++;
            else if (c === '}' && depth > 0)
                depth--;
            else if (c === ',' && depth === 0) {
                out.push(line.slice(start, i));
                start = i + 1;
            }
        }
        out.push(line.slice(start));
    }
    return out.map((s) => s.trim()).filter((s) => s !== '');
}
/** A piece that starts a new `existing-secrets` entry rather than continuing the registries of the previous one. */
const SECRET_ENTRY_START = /^(\*|[a-z0-9]([-a-z0-9]*[a-z0-9])?)\/[^/,=]+$/;
/**
 * Splits `existing-secrets` values into entries. Commas separate entries but also the registries
 * after `=`: a piece that follows an entry with `=` continues its registry list unless it contains
 * `=` or looks like `ns/name` (a single-label first segment, one slash). Newlines always separate.
 */
function splitSecretList(value) {
    const entries = [];
    for (const line of value.split(/\r?\n|\r/)) {
        let current;
        for (const piece of line.split(',').map((s) => s.trim())) {
            if (piece === '')
                continue;
            const startsEntry = current === undefined ||
                !current.includes('=') ||
                piece.includes('=') ||
                (SECRET_ENTRY_START.test(piece) && !piece.startsWith('localhost/'));
            if (startsEntry) {
                if (current !== undefined)
                    entries.push(current);
                current = piece;
            }
            else {
                current = `${current},${piece}`;
            }
        }
        if (current !== undefined)
            entries.push(current);
    }
    return entries;
}
/** Splits raw list items as the option's kind requires (`existing-secrets` keeps `=a,b` together). */
function splitOptionList(kind, items) {
    return items.flatMap((item) => (kind === 'secrets' ? splitSecretList(item) : splitList(item)));
}
const ok = (value) => ({ ok: true, value });
const bad = (problem) => ({ ok: false, problem });
const REGISTRY_FORM = 'expected host[:port][/path-prefix] with * or ? only inside host labels, e.g. ghcr.io/acme, *.azurecr.io, registry.local:5000';
const NAMESPACE_FORM = 'expected a DNS-1123 label: lowercase letters, digits and -, starting and ending with a letter or digit, at most 63 characters';
const NAME_FORM = 'expected a DNS-1123 subdomain: lowercase letters, digits, - and ., starting and ending with a letter or digit, at most 253 characters';
/** Why `pattern` is not a registry pattern, or undefined when it is one. */
function registryPatternProblem(pattern) {
    if (/\s/.test(pattern))
        return 'it contains white space';
    // A digest: an algorithm (sha256…) and at least 32 hexadecimal digits, not a user before host:port.
    if (/@(?:sha(?:256|384|512):|[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})/.test(pattern))
        return 'a digest is not allowed, patterns name registries and repository prefixes';
    if (/^[^/]*@/.test(pattern))
        return 'a user name (user@) is not allowed, patterns name registries and repository prefixes';
    if (pattern.includes('@'))
        return 'a digest is not allowed, patterns name registries and repository prefixes';
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(pattern))
        return 'only an https:// or http:// scheme is accepted';
    const slash = pattern.indexOf('/');
    const hostPort = slash < 0 ? pattern : pattern.slice(0, slash);
    const repoPath = slash < 0 ? '' : pattern.slice(slash);
    if (hostPort === '')
        return 'the host is missing';
    let host = hostPort;
    let port;
    const ipv6 = /^(\[[0-9a-fA-F:]+\])(?::(.*))?$/.exec(hostPort);
    if (!ipv6 && (/^\[[^\]]*:/.test(hostPort) || hostPort.startsWith('[]')))
        return 'an IPv6 address is written in brackets with hexadecimal digits and colons only, e.g. [fc00::1]:5000';
    if (ipv6) {
        host = ipv6[1];
        port = ipv6[2];
    }
    else {
        const colon = hostPort.indexOf(':');
        if (colon >= 0) {
            host = hostPort.slice(0, colon);
            port = hostPort.slice(colon + 1);
        }
        if (host === '')
            return 'the host is missing';
        for (const label of host.split('.')) {
            if (label === '')
                return 'the host has an empty label';
            if (/[[\]\\]/.test(label))
                return 'character classes and escapes are not supported, use * or ?';
            if (!/^[A-Za-z0-9*?-]+$/.test(label))
                return `the host label "${label}" has a character other than letters, digits, -, * and ?`;
        }
    }
    if (port !== undefined) {
        if (/[*?]/.test(port))
            return '* and ? are only allowed inside host labels, not in the port';
        if (!/^\d+$/.test(port))
            return 'the port after ":" must be a number (patterns take no tag)';
        if (port.length > 5 || Number(port) > 65535)
            return 'the port after ":" must be at most 65535';
    }
    if (repoPath !== '') {
        if (/[*?]/.test(repoPath))
            return '* and ? are only allowed inside host labels, the path is a plain prefix';
        if (repoPath.includes(':'))
            return 'a tag is not allowed, patterns name registries and repository prefixes';
        if (/[A-Z]/.test(repoPath))
            return 'repository paths are lowercase';
        if (repoPath.includes('//'))
            return 'the path has an empty segment (//), which no image path holds';
        if (/\/[._-]/.test(repoPath))
            return 'a path segment starts with ., _ or -, which no image path holds (each starts with a letter or digit)';
        if (!/^\/[a-z0-9._/-]*$/.test(repoPath))
            return 'the path has a character other than lowercase letters, digits, ., _, - and /';
    }
    return undefined;
}
/**
 * A registry pattern, with an optional `https://` / `http://` scheme stripped and its host in
 * lower case (host names are case-insensitive; images are matched with theirs folded too). Not
 * folded (`fold` false): the registries of an `existing-secrets` entry, which are the keys of a
 * Secret in the cluster, matched case-sensitively by the kubelet.
 */
function parseRegistryPattern(value, fold = true) {
    const stripped = value.replace(/^https?:\/\//i, '');
    const problem = registryPatternProblem(stripped);
    const slash = stripped.indexOf('/');
    return problem === undefined
        ? ok(!fold ? stripped : slash < 0 ? stripped.toLowerCase() : stripped.slice(0, slash).toLowerCase() + stripped.slice(slash))
        : bad(`${quote(value)} is not a registry pattern: ${problem} (${REGISTRY_FORM})`);
}
function parseNamespaceName(value) {
    return isDns1123Label(value) ? ok(value) : bad(`${quote(value)} is not a valid namespace name (${NAMESPACE_FORM})`);
}
const SECRET_FORM = 'expected ns/name[=registry,…] or */name[=registry,…], e.g. prod/regcred=ghcr.io/acme';
function parseExistingSecret(value) {
    const eq = value.indexOf('=');
    const ref = eq < 0 ? value : value.slice(0, eq);
    const parts = ref.split('/');
    if (parts.length !== 2)
        return bad(`${quote(value)} is not a secret reference (${SECRET_FORM})`);
    const [namespace, name] = parts.map((s) => s.trim());
    if (namespace !== '*' && !isDns1123Label(namespace)) {
        return bad(`${quote(value)} has an invalid namespace ${quote(namespace)} (${NAMESPACE_FORM}, or * for every namespace)`);
    }
    if (!isDns1123Subdomain(name))
        return bad(`${quote(value)} has an invalid secret name ${quote(name)} (${NAME_FORM})`);
    const registries = [];
    if (eq >= 0) {
        const patterns = splitList(value.slice(eq + 1));
        if (patterns.length === 0) {
            return bad(`${quote(value)} lists no registry after = (${SECRET_FORM}; leave out = when the content is unknown)`);
        }
        for (const p of patterns) {
            const r = parseRegistryPattern(p, false);
            if (!r.ok)
                return bad(`${quote(value)}: ${r.problem}`);
            registries.push(r.value);
        }
    }
    return ok({ namespace, name, registries });
}
const SERVICE_ACCOUNT_FORM = 'expected ns/name, e.g. prod/deployer';
function parseExistingServiceAccount(value) {
    const parts = value.split('/');
    if (parts.length !== 2)
        return bad(`${quote(value)} is not a ServiceAccount reference (${SERVICE_ACCOUNT_FORM})`);
    const [namespace, name] = parts.map((s) => s.trim());
    if (!isDns1123Label(namespace))
        return bad(`${quote(value)} has an invalid namespace ${quote(namespace)} (${NAMESPACE_FORM})`);
    if (!isDns1123Subdomain(name))
        return bad(`${quote(value)} has an invalid ServiceAccount name ${quote(name)} (${NAME_FORM})`);
    return ok({ namespace, name });
}
const TRUE_WORDS = ['true', 'True', 'TRUE'];
const FALSE_WORDS = ['false', 'False', 'FALSE'];
/** As `@actions/core` getBooleanInput: true|True|TRUE|false|False|FALSE. */
function parseBoolean(value) {
    if (typeof value === 'boolean')
        return ok(value);
    if (TRUE_WORDS.includes(value))
        return ok(true);
    if (FALSE_WORDS.includes(value))
        return ok(false);
    return bad(`${quote(value)} is not a boolean (expected true or false)`);
}
function parseEnum(value, allowed) {
    return allowed.includes(value)
        ? ok(value)
        : bad(`${quote(value)} is not one of ${allowed.join(', ')}`);
}
/** A value as the user wrote it, in quotes: the first 80 characters of a long one, and its length. */
function quote(value) {
    return value.length <= 100 ? JSON.stringify(value) : `${JSON.stringify(value.slice(0, 80))}… (${value.length} characters)`;
}
function where(spec, origin) {
    switch (origin.from) {
        case 'cli':
            return `--${spec.kebab}`;
        case 'action':
            return `input ${spec.kebab}`;
        case 'config':
            return `${origin.file}${origin.line ? `:${origin.line}` : ''}: ${origin.key}`;
    }
}
function escapeRegExp(s) {
    return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
/** Line numbers by text: the config is small and block-style in practice, so a scan is enough. */
function lineFinder(source) {
    const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
    const keyLine = (key, indented, from = 0, to = lines.length) => {
        const re = new RegExp(`^${indented ? '\\s+' : ''}(["']?)${escapeRegExp(key)}\\1\\s*:(\\s|$)`);
        for (let i = from; i < to; i++)
            if (re.test(lines[i]))
                return i + 1;
        return undefined;
    };
    /** [start, end) of the block of a top-level key: until the next top-level key. */
    const blockEnd = (start) => {
        for (let i = start; i < lines.length; i++)
            if (/^[^\s#-]/.test(lines[i]))
                return i;
        return lines.length;
    };
    return {
        top: (key) => keyLine(key, false),
        nested: (parent, key) => {
            const at = keyLine(parent, false);
            if (at === undefined)
                return undefined;
            return keyLine(key, true, at, blockEnd(at)) ?? at;
        },
        within: (parent, needle) => {
            const at = keyLine(parent, false);
            if (at === undefined)
                return undefined;
            const end = blockEnd(at);
            // The needle as a whole item (`- "*."`, `[a, *.]`), not inside another one (`"*.azurecr.io"`).
            const whole = new RegExp(`(^|[\\s,\\[:"'-])${escapeRegExp(needle)}(?=$|[\\s,\\]"'#])`);
            const comment = (line) => line.trimStart().startsWith('#');
            for (let i = at - 1; i < end; i++)
                if (!comment(lines[i]) && whole.test(lines[i]))
                    return i + 1;
            for (let i = at - 1; i < end; i++)
                if (!comment(lines[i]) && lines[i].includes(needle))
                    return i + 1;
            return at;
        },
    };
}
function configFlag(spec, front) {
    return front.from === 'action' ? `the ${spec.kebab} input` : `--${spec.kebab}`;
}
function isSymlink(file) {
    try {
        return (0,external_node_fs_.lstatSync)(file).isSymbolicLink();
    }
    catch {
        return false;
    }
}
/** Whether `file` is a file, a directory, or missing (unreadable counts as missing). */
async function pathKind(file) {
    try {
        const s = (0,external_node_fs_.statSync)(file);
        return s.isDirectory() ? 'directory' : 'file';
    }
    catch {
        return undefined;
    }
}
async function loadConfig(file, cwd, problems) {
    const shown = displayPath(file, cwd);
    let source;
    try {
        const bytes = (0,external_node_fs_.readFileSync)(file);
        if (!(0,external_node_buffer_namespaceObject.isUtf8)(bytes)) {
            // Its first line that is not: the YAML parser would only see U+FFFD there and blame the syntax.
            const bad = firstNonUtf8Line(bytes);
            problems.push(`${shown}${bad === undefined ? '' : `:${bad}`}: the config file is not UTF-8 text; save it as UTF-8`);
            return undefined;
        }
        source = bytes.toString('utf8');
    }
    catch (e) {
        problems.push(`${shown}: cannot read the config file (${e.code ?? String(e)})`);
        return undefined;
    }
    let doc;
    try {
        doc = yaml.load(source, { filename: shown });
    }
    catch (e) {
        if (e instanceof yaml.YAMLException) {
            // Only reason and position: js-yaml's own message quotes the source lines, which may hold a token.
            const pos = e.mark ? `:${e.mark.line + 1}:${e.mark.column + 1}` : '';
            problems.push(`${shown}${pos}: YAML syntax error: ${redactYamlReason(e.reason)}`);
        }
        else {
            problems.push(`${shown}: cannot parse the config file`);
        }
        return undefined;
    }
    const lines = lineFinder(source);
    const config = {
        file,
        entries: new Map(),
        lineOf: (key, needle) => lines.within(key, needle),
        nestedLine: (parent, key) => lines.nested(parent, key),
    };
    if (doc === null || doc === undefined)
        return config;
    if (typeof doc !== 'object' || Array.isArray(doc)) {
        problems.push(`${shown}:1: expected a mapping of option keys to values, got ${options_describe(doc)}`);
        return undefined;
    }
    const validKeys = CONFIG_FILE_KEYS;
    const candidates = [...validKeys, ...SPECS.filter((s) => s.inConfigFile !== false).map((s) => s.kebab)];
    for (const [key, raw] of Object.entries(doc)) {
        const origin = { from: 'config', file: shown, key, line: lines.top(key) };
        const at = `${shown}${origin.line ? `:${origin.line}` : ''}`;
        if (key === 'rules') {
            config.rules = { raw, origin };
            continue;
        }
        const spec = BY_CAMEL.get(key) ?? BY_KEBAB.get(key);
        if (spec === undefined) {
            const guess = nearest(key, candidates);
            const hint = guess === undefined ? '' : `; did you mean "${guess}"?`;
            problems.push(`${at}: unknown key "${key}"${hint} (valid keys: ${validKeys.join(', ')}; kebab-case names are accepted too)`);
            continue;
        }
        if (spec.inConfigFile === false) {
            problems.push(`${at}: "${key}" cannot be set in the config file, which is looked up from it (use --${spec.kebab} or the ${spec.kebab} input)`);
            continue;
        }
        const earlier = config.entries.get(spec.camel);
        if (earlier !== undefined) {
            problems.push(`${at}: "${key}" sets the same option as "${earlier.origin.key}"; keep one`);
            continue;
        }
        config.entries.set(spec.camel, { raw, origin });
    }
    return config;
}
/** The 1-based number of the first line whose bytes are not UTF-8. */
function firstNonUtf8Line(bytes) {
    let start = 0;
    for (let line = 1; start <= bytes.length; line++) {
        let end = bytes.indexOf(0x0a, start);
        if (end === -1)
            end = bytes.length;
        if (!(0,external_node_buffer_namespaceObject.isUtf8)(bytes.subarray(start, end)))
            return line;
        start = end + 1;
    }
    return undefined;
}
function options_describe(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'a list';
    if (value instanceof Date)
        return 'a date';
    if (typeof value === 'object')
        return 'a mapping';
    return typeof value === 'string' ? `string ${quote(value)}` : `${typeof value} ${JSON.stringify(value)}`;
}
function describeRedacted(value) {
    if (Array.isArray(value))
        return 'a list';
    if (value !== null && typeof value === 'object')
        return 'a mapping';
    return '<redacted>';
}
/** The raw value as one string, for scalar kinds; undefined (with a problem) for lists or mappings. */
function asScalar(spec, raw, origin, sink) {
    if (typeof raw === 'string' || typeof raw === 'boolean')
        return raw;
    if (typeof raw === 'number' || typeof raw === 'bigint') {
        // YAML reads 007 as 7 and 1.0 as 1: the text the user wrote is gone, so it cannot be taken as a name or path.
        const shown = spec.secret ? '<redacted>' : String(raw);
        sink.problems.push(`${where(spec, origin)}: expected ${spec.kind === 'boolean' ? 'true or false' : spec.kind === 'enum' ? `one of ${(spec.values ?? []).join(', ')}` : 'text'}, got the number ${shown}${spec.kind === 'boolean' || spec.kind === 'enum' ? '' : NUMBER_HINT}`);
        return undefined;
    }
    const got = spec.secret ? describeRedacted(raw) : options_describe(raw);
    sink.problems.push(`${where(spec, origin)}: expected ${spec.kind === 'boolean' ? 'true or false' : 'a single value'}, got ${got}`);
    return undefined;
}
const NUMBER_HINT = ' (YAML reads an unquoted 007 as 7 and 1.0 as 1): write it in quotes';
/** The raw value as list items (before splitting), or undefined with a problem. */
function asItems(spec, raw, origin, sink) {
    if (typeof raw === 'string')
        return [raw];
    const items = Array.isArray(raw) ? raw : [raw];
    const out = [];
    for (const item of items) {
        if (typeof item === 'string')
            out.push(item);
        else if (typeof item === 'number') {
            sink.problems.push(`${where(spec, origin)}: expected a list of strings, got ${Array.isArray(raw) ? 'an item that is ' : ''}the number ${String(item)}${NUMBER_HINT}`);
            return undefined;
        }
        else {
            sink.problems.push(`${where(spec, origin)}: expected a list of strings, got ${Array.isArray(raw) ? 'an item that is ' : ''}${options_describe(item)}`);
            return undefined;
        }
    }
    return out;
}
function itemOrigin(origin, item, sink) {
    if (origin.from !== 'config' || sink.config === undefined)
        return origin;
    return { ...origin, line: sink.config.lineOf(origin.key, item) ?? origin.line };
}
function checkItems(spec, items, origin, sink, parse) {
    const out = [];
    for (const item of items) {
        const r = parse(item);
        if (r.ok)
            out.push(r.value);
        else
            sink.problems.push(`${where(spec, itemOrigin(origin, item, sink))}: ${r.problem}`);
    }
    return out;
}
/** Parses one raw value for one option into the Options field's type; undefined when not set or invalid. */
function parseOption(spec, raw, origin, sink) {
    switch (spec.kind) {
        case 'list':
        case 'registryPatterns':
        case 'secrets':
        case 'serviceAccounts': {
            const raws = asItems(spec, raw, origin, sink);
            if (raws === undefined)
                return undefined;
            const items = splitOptionList(spec.kind, raws);
            // An empty value on the command line is an unset variable (`--sarif-file "$OUT"`), also
            // when the flag is repeated (`--private-registries ghcr.io --private-registries "$MORE"`),
            // and no manifests at all checks nothing: both are mistakes, never read as "none".
            const emptyFlag = origin.from === 'cli' && raws.length > 1 && raws.some((r) => splitOptionList(spec.kind, [r]).length === 0);
            if (emptyFlag || (items.length === 0 && (origin.from === 'cli' || spec.camel === 'manifests'))) {
                sink.problems.push(`${where(spec, origin)}: the value is empty; expected ${options_placeholder(spec)}`);
                return undefined;
            }
            // Only separators (`${{ vars.A }},${{ vars.B }}` with both unset): not a deliberate "none",
            // which would silently replace the config file's list.
            const separatorsOnly = raws.find((r) => r.trim() !== '' && splitOptionList(spec.kind, [r]).length === 0);
            if (separatorsOnly !== undefined) {
                sink.problems.push(`${where(spec, origin)}: ${quote(separatorsOnly)} holds only separators, no value; expected ${options_placeholder(spec)}`);
                return undefined;
            }
            if (spec.kind === 'registryPatterns')
                return checkItems(spec, items, origin, sink, parseRegistryPattern);
            if (spec.kind === 'secrets')
                return checkItems(spec, items, origin, sink, parseExistingSecret);
            if (spec.kind === 'serviceAccounts')
                return checkItems(spec, items, origin, sink, parseExistingServiceAccount);
            if (spec.namespaceNames)
                return checkItems(spec, items, origin, sink, parseNamespaceName);
            return items;
        }
        case 'boolean': {
            const value = asScalar(spec, raw, origin, sink);
            if (value === undefined)
                return undefined;
            const r = parseBoolean(typeof value === 'string' ? value.trim() : value);
            if (r.ok)
                return r.value;
            sink.problems.push(`${where(spec, origin)}: ${r.problem}`);
            return undefined;
        }
        case 'enum': {
            const value = asScalar(spec, raw, origin, sink);
            if (value === undefined)
                return undefined;
            const r = parseEnum(String(value).trim(), spec.values ?? []);
            if (r.ok)
                return r.value;
            sink.problems.push(`${where(spec, origin)}: ${r.problem}`);
            return undefined;
        }
        case 'string':
        case 'path': {
            const value = asScalar(spec, raw, origin, sink);
            if (value === undefined)
                return undefined;
            if (typeof value === 'boolean') {
                const got = spec.secret ? '<redacted>' : String(value);
                sink.problems.push(`${where(spec, origin)}: expected ${spec.kind === 'path' ? 'a path' : 'a string'}, got ${got}`);
                return undefined;
            }
            const text = spec.secret ? value : value.trim();
            if (text === '') {
                // The runner passes '' for unset inputs (isUnset); elsewhere an empty value is a mistake.
                if (origin.from !== 'action')
                    sink.problems.push(`${where(spec, origin)}: the value is empty; expected ${options_placeholder(spec)}`);
                return undefined;
            }
            if (spec.namespaceNames) {
                const r = parseNamespaceName(text);
                if (!r.ok)
                    sink.problems.push(`${where(spec, origin)}: ${r.problem}`);
                return r.ok ? r.value : undefined;
            }
            if (spec.camel === 'registryCredentials' && !isJsonObject(text)) {
                sink.problems.push(`${where(spec, origin)}: <redacted> is not a docker config JSON (expected a JSON object such as {"auths": {"ghcr.io": {"auth": "…"}}})`);
                return undefined;
            }
            return text;
        }
    }
}
/** The option's value placeholder, as --help writes it: `<patterns>`. */
function options_placeholder(spec) {
    return spec.valueName === undefined ? 'a value' : `<${spec.valueName}>`;
}
function isJsonObject(text) {
    try {
        const v = JSON.parse(text);
        return v !== null && typeof v === 'object' && !Array.isArray(v);
    }
    catch {
        return false;
    }
}
function parseRules(entry, knownRuleIds, sink) {
    const rules = {};
    const { raw, origin } = entry;
    const at = `${origin.file}${origin.line ? `:${origin.line}` : ''}`;
    if (raw === null || raw === undefined)
        return rules;
    if (typeof raw !== 'object' || Array.isArray(raw)) {
        sink.problems.push(`${at}: rules: expected a mapping of rule id to ${RULE_SETTINGS.join('|')}, got ${options_describe(raw)}`);
        return rules;
    }
    for (const [id, value] of Object.entries(raw)) {
        const line = sink.config?.nestedLine(origin.key, id) ?? origin.line;
        const here = `${origin.file}${line ? `:${line}` : ''}: rules.${id}`;
        if (!knownRuleIds.includes(id)) {
            const guess = nearest(id, knownRuleIds);
            const hint = guess === undefined ? '' : `; did you mean "${guess}"?`;
            sink.problems.push(`${here}: unknown rule id "${id}"${hint} (known rules: ${knownRuleIds.join(', ')})`);
            continue;
        }
        const r = typeof value === 'string' ? parseEnum(value.trim(), RULE_SETTINGS) : bad(`${options_describe(value)} is not one of ${RULE_SETTINGS.join(', ')}`);
        if (r.ok)
            rules[id] = r.value;
        else
            sink.problems.push(`${here}: ${r.problem}`);
    }
    return rules;
}
function isUnset(value, origin) {
    if (value === undefined || value === null)
        return true;
    // The runner passes '' for inputs that have no default and were not given.
    if (origin === 'action') {
        if (typeof value === 'string')
            return value.trim() === '';
        if (Array.isArray(value))
            return value.every((v) => typeof v === 'string' && v.trim() === '');
    }
    return false;
}
/**
 * Builds Options from front-end values, the config file and the defaults (in that precedence).
 * Throws one OptionsError listing every problem.
 */
async function resolveOptions(input) {
    const { values, cwd, knownRuleIds } = input;
    const front = { from: input.origin };
    const sink = { problems: [] };
    const given = (key) => (isUnset(values[key], input.origin) ? undefined : values[key]);
    // 1. The working directory: only from the front end (the config file is looked up in it).
    const wdSpec = BY_CAMEL.get('workingDirectory');
    const wdRaw = given('workingDirectory');
    const wdValue = wdRaw === undefined ? undefined : parseOption(wdSpec, wdRaw, front, sink);
    const workingDirectory = external_node_path_.resolve(cwd, wdValue ?? '.');
    if (wdValue !== undefined && (await pathKind(workingDirectory)) !== 'directory') {
        sink.problems.push(`${where(wdSpec, front)}: ${quote(wdValue)} is not a directory (resolved to ${workingDirectory})`);
        throw new OptionsError(sink.problems);
    }
    // 2. The config file: the given one must exist; otherwise the default names, if present.
    const configSpec = BY_CAMEL.get('config');
    const configRaw = given('config');
    const configValue = configRaw === undefined ? undefined : parseOption(configSpec, configRaw, front, sink);
    let configFile;
    if (configValue !== undefined) {
        configFile = external_node_path_.resolve(workingDirectory, configValue);
        const kind = await pathKind(configFile);
        if (kind !== 'file') {
            sink.problems.push(`${where(configSpec, front)}: ${quote(configValue)} ${kind === 'directory' ? 'is a directory' : 'does not exist'} (expected a config file; resolved to ${configFile})`);
            throw new OptionsError(sink.problems);
        }
    }
    else {
        const found = [];
        for (const name of CONFIG_FILE_NAMES) {
            const candidate = external_node_path_.join(workingDirectory, name);
            const kind = await pathKind(candidate);
            if (kind === 'file')
                found.push(candidate);
            // Never ignored without a word: the options it holds would be silently missing.
            else if (kind === 'directory')
                sink.problems.push(`${displayPath(candidate, cwd)} is a directory, not a config file; rename it or choose a file with ${configFlag(configSpec, front)}`);
            else if (isSymlink(candidate))
                sink.problems.push(`${displayPath(candidate, cwd)} is a symbolic link that leads to no file (a missing target, or a loop); fix it, remove it or choose a file with ${configFlag(configSpec, front)}`);
        }
        if (sink.problems.length > 0)
            throw new OptionsError(sink.problems);
        if (found.length > 1) {
            sink.problems.push(`${found.map((f) => displayPath(f, cwd)).join(' and ')} both exist; keep one or choose with ${configFlag(configSpec, front)}`);
            throw new OptionsError(sink.problems);
        }
        configFile = found[0];
    }
    if (configFile !== undefined) {
        sink.config = await loadConfig(configFile, cwd, sink.problems);
    }
    // 3. Every other option: front end > config file > default.
    const options = defaultOptions(workingDirectory);
    const record = options;
    for (const spec of SPECS) {
        if (spec.camel === 'workingDirectory' || spec.camel === 'config')
            continue;
        const fromFront = given(spec.camel);
        const fromConfig = sink.config?.entries.get(spec.camel);
        // The file's value is checked even where the front end's wins, as eslint checks a whole
        // config: a bad value in a shared file must not pass in CI, where the workflow sets the input,
        // and fail on a laptop.
        let fileValue;
        if (fromConfig !== undefined) {
            // `key:` without a value (YAML null) is the empty value of its kind, never ignored: an empty
            // list (no items, as when every item is commented out), an empty scalar (an error, as "").
            const raw = fromConfig.raw === null ? (LIST_KINDS.has(spec.kind) ? [] : '') : fromConfig.raw;
            fileValue = parseOption(spec, raw, fromConfig.origin, sink);
        }
        const value = fromFront !== undefined ? parseOption(spec, fromFront, front, sink) : fileValue;
        if (value === undefined)
            continue;
        record[spec.camel] = spec.kind === 'path' ? external_node_path_.resolve(workingDirectory, value) : value;
    }
    if (sink.config?.rules !== undefined)
        options.rules = parseRules(sink.config.rules, knownRuleIds, sink);
    if (configFile !== undefined)
        options.config = configFile;
    // One file for both reports: the second written would replace the first without a word.
    if (options.sarifFile !== undefined && options.sarifFile === options.reportFile) {
        sink.problems.push(`sarif-file and report-file name the same file (${displayPath(options.sarifFile, workingDirectory)}); give each its own`);
    }
    if (sink.problems.length > 0)
        throw new OptionsError(sink.problems);
    return options;
}

;// CONCATENATED MODULE: ./build/source/discover.js
// File discovery: the manifests globs, `!` excludes, node_modules/.git always out, sorted.




const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**'];
function toPosix(p) {
    return p.split(external_node_path_.sep).join('/');
}
/**
 * Expands the globs relative to `root`. A symlink inside `root` whose target lies outside it is
 * not read (it is returned in `skipped`, so nothing is dropped silently); files named outside
 * `root` (`../x/**\/*.yaml`) are read, with paths relative to `root` (`../x/a.yaml`).
 */
async function discover(patterns, root, excludeFiles = []) {
    // Excludes alone (`!vendor`) narrow the default globs, as they do on the command line.
    if (patterns.length > 0 && patterns.every((p) => p.startsWith('!')))
        patterns = [...DEFAULT_MANIFESTS, ...patterns];
    const expanded = expandDirectories(patterns, root);
    if (expanded.size === 0)
        return discoverGlobs(patterns, root, excludeFiles);
    // Reported by the patterns as given: a directory matches nothing when none of its globs does.
    const result = await discoverGlobs([...patterns.flatMap((p) => expanded.get(p) ?? [p])], root, excludeFiles);
    const unmatched = new Set(result.unmatched);
    const excludedOnly = new Set(result.excludedOnly);
    const given = (list, every) => patterns.filter((p) => (expanded.has(p) ? every(expanded.get(p)) : list.has(p)));
    return {
        ...result,
        unmatched: given(unmatched, (globs) => globs.every((g) => unmatched.has(g))),
        excludedOnly: given(excludedOnly, (globs) => globs.every((g) => unmatched.has(g)) && globs.some((g) => excludedOnly.has(g))),
    };
}
/**
 * The patterns that name a directory or a file on disk (`rendered`, `k8s/`, `!vendor`), each with
 * the globs it stands for, as on the command line (pathGlobs): a directory's manifests, or,
 * excluded, everything below it; a file whose name holds glob characters, itself. Written as it
 * is, a directory pattern would match no file, and nothing would be checked.
 */
function expandDirectories(patterns, root) {
    const out = new Map();
    for (const p of patterns) {
        const negated = p.startsWith('!');
        const body = negated ? p.slice(1) : p;
        if (body === '')
            continue;
        const absolute = external_node_path_.resolve(root, body);
        let directory;
        try {
            directory = external_node_fs_.statSync(absolute).isDirectory();
        }
        catch {
            continue; // a glob
        }
        const relative = toPosix(external_node_path_.relative(external_node_path_.resolve(root), absolute));
        const globs = pathGlobs(relative, directory ? 'directory' : 'file', negated);
        if (directory || globs[0] !== p)
            out.set(p, globs);
    }
    return out;
}
/**
 * The globs a file or directory stands for (relative to the working directory, POSIX): the file
 * itself; a directory's manifests (`d/**\/*.yaml`, `*.yml`, `*.json`), or, excluded, everything
 * below it (`!d/**`). Its name is written as a glob that matches only itself (literal).
 */
function pathGlobs(relative, kind, negated) {
    if (kind === 'file')
        return [`${negated ? '!' : ''}${literal(relative)}`];
    const prefix = relative === '' ? '' : `${literal(relative)}/`;
    return negated ? [`!${prefix}**`] : DEFAULT_MANIFESTS.map((g) => `${prefix}${g}`);
}
/**
 * A literal path as a glob that matches only itself: every character that glob or its brace
 * expansion reads is escaped with a backslash, and so is a leading `#` (a comment) or `!` (a
 * negation, which discover() would take for an exclude). glob's own `escape` with
 * windowsPathsNoEscape wraps them in brackets, which brace expansion does not respect (`x{a,b}.yaml`
 * matched `xa.yaml`) and which cannot hold a backslash; discover() never sets windowsPathsNoEscape,
 * and the path is in POSIX form, so a backslash is always an escape. Written out, the CLI does not
 * load glob at start-up.
 */
function literal(p) {
    const e = p.replace(/[?*()[\]\\{}]/g, '\\$&');
    return e.startsWith('#') || e.startsWith('!') ? `\\${e}` : e;
}
async function discoverGlobs(patterns, root, excludeFiles) {
    const include = patterns.filter((p) => !p.startsWith('!'));
    const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
    const realRoot = external_node_fs_.realpathSync(root);
    // Each found path, and its real path when it is known without asking the file system.
    let found;
    // The include patterns that match no file (after the excludes), for the front ends to report,
    // and those of them that match files, all excluded (not a typo).
    const unmatched = [];
    const excludedOnly = [];
    const unreadable = [];
    const walked = exclude.length === 0 ? walkDefaultGlobs(include, root, unreadable) : undefined;
    if (walked) {
        found = walked;
        for (const p of include) {
            const [, base, ext] = DEFAULT_FORM.exec(p);
            if (!walked.some((f) => f.rel.startsWith(base) && f.rel.endsWith(`.${ext}`)))
                unmatched.push(p);
        }
    }
    else {
        // One pattern at a time, to know which match nothing; the file system is read once (one cache).
        // glob is loaded only here: the walk above serves the default patterns without it.
        const { Glob } = await __nccwpck_require__.e(/* import() */ 668).then(__nccwpck_require__.bind(__nccwpck_require__, 668));
        const options = { cwd: root, dot: true, nodir: true, follow: false, ignore: [...ALWAYS_IGNORED, ...exclude], posix: true };
        found = [];
        for (const p of include) {
            const g = new Glob(p, options);
            options.scurry = g.scurry;
            const paths = (await g.walk());
            if (paths.length === 0) {
                unmatched.push(p);
                if (exclude.length > 0 && (await new Glob(p, { ...options, ignore: ALWAYS_IGNORED, scurry: g.scurry }).walk()).length > 0)
                    excludedOnly.push(p);
            }
            for (const rel of paths)
                found.push({ rel });
        }
        if (options.scurry)
            unreadable.push(...(await linkedOutside(options.scurry, root, realRoot, include, exclude)));
    }
    const excluded = new Set(excludeFiles.map((f) => external_node_path_.resolve(f)));
    const files = [];
    // Directories the walk could not read, also when it then left the patterns to glob (which skips them).
    const skipped = [...unreadable];
    const seen = new Set();
    for (const f of found) {
        // A pattern written as an absolute path inside the directory (`${{ github.workspace }}/…`)
        // names the same files as a relative one: one identity, relative, as annotations need it.
        const rel = toPosix(external_node_path_.normalize(external_node_path_.isAbsolute(f.rel) ? displayPath(f.rel, root) : f.rel));
        if (seen.has(rel))
            continue;
        seen.add(rel);
        const absolute = external_node_path_.resolve(root, rel);
        if (excluded.has(absolute))
            continue;
        let real = f.real;
        if (real === undefined) {
            try {
                real = external_node_fs_.realpathSync(absolute);
            }
            catch (err) {
                const code = err.code;
                const reason = code === 'ENOENT' || code === 'ELOOP' ? 'broken symbolic link' : `its path cannot be resolved (${code ?? 'error'}: a directory on it without permission?)`;
                skipped.push({ path: rel, reason });
                continue;
            }
        }
        // Only a path inside the root can escape it through a symbolic link; a path named outside it
        // (`pullcheck ../other`, a `../` glob) was asked for as it is.
        if (real !== realRoot && !real.startsWith(realRoot + external_node_path_.sep) && !namedOutside(root, absolute)) {
            skipped.push({ path: rel, reason: 'symbolic link to a file outside the working directory (not followed)' });
            continue;
        }
        files.push({ path: rel, absolute });
    }
    walkOrder(files);
    walkOrder(skipped);
    return { files, skipped, unmatched, excludedOnly };
}
/**
 * Symbolic links to directories outside the working directory that a pattern's `**` would have
 * descended into: glob does not follow them (follow: false), so their files would vanish without a
 * word. A link that a pattern names (`link/*.yaml`) is followed by glob, and then its files are
 * skipped one by one as links out of the directory: not listed again here.
 */
async function linkedOutside(scurry, root, realRoot, include, exclude) {
    // Only `**` leaves symbolic links alone: glob follows one that a plain segment names.
    const deep = include.filter((p) => p.includes('**'));
    if (deep.length === 0)
        return [];
    const { Minimatch } = await __nccwpck_require__.e(/* import() */ 138).then(__nccwpck_require__.bind(__nccwpck_require__, 138));
    const includes = deep.map((p) => new Minimatch(p, { dot: true }));
    const excludes = exclude.map((p) => new Minimatch(p, { dot: true }));
    const reached = (rel) => includes.some((m) => m.match(rel, true));
    // Only the directories a `**` pattern can reach (glob has read most of them already).
    const links = scurry
        .walkSync(external_node_path_.resolve(root), { follow: false, walkFilter: (e) => e.name !== 'node_modules' && e.name !== '.git' && reached(e.relativePosix()) })
        .filter((e) => e.isSymbolicLink());
    const out = [];
    for (const link of links) {
        const rel = link.relativePosix();
        let real;
        try {
            real = external_node_fs_.realpathSync(link.fullpath());
            if (!external_node_fs_.statSync(real).isDirectory())
                continue;
        }
        catch {
            continue; // a broken link: no files below it to lose
        }
        if (real === realRoot || real.startsWith(realRoot + external_node_path_.sep))
            continue; // its files are read where they are
        // Said even when glob entered it by a plain segment (`deploy/**` reaches `deploy/out/*.yaml`
        // through it, not `deploy/out/sub/…`): whatever it read there is skipped file by file too.
        if (!reached(rel) || excludes.some((m) => m.match(rel) || m.match(`${rel}/x.yaml`)))
            continue;
        out.push({ path: rel, reason: 'symbolic link to a directory outside the working directory (not followed)' });
    }
    return out;
}
/** Whether `absolute` lies outside `root` by its path alone (symbolic links not resolved). */
function namedOutside(root, absolute) {
    const rel = external_node_path_.relative(external_node_path_.resolve(root), absolute);
    return rel === '..' || rel.startsWith('..' + external_node_path_.sep) || external_node_path_.isAbsolute(rel);
}
/** `<plain directory/>**\/*.<ext>`: the default globs, and what a directory argument expands to. */
const DEFAULT_FORM = /^((?:[^*?[\]{}()!+@\\/]+\/)*)\*\*\/\*\.(yaml|yml|json)$/;
/**
 * The files the default form of globs matches, found by walking the directories (glob, with its
 * matching machinery, costs several times more on large trees), or undefined when a pattern has
 * another form or the tree holds a symbolic link (glob's rules for those are left to glob). Same
 * results as glob with the options above: dot files and directories included, node_modules and
 * .git left out, any other entry whose name ends with the extension returned. Without symbolic
 * links a file's real path is its directory's real path and its name: no realpath per file.
 */
function walkDefaultGlobs(include, root, unreadable) {
    const byBase = new Map();
    for (const p of include) {
        const m = DEFAULT_FORM.exec(p);
        if (!m)
            return undefined;
        const base = m[1];
        if (base.split('/').some((seg) => seg === '.' || seg === '..'))
            return undefined;
        const exts = byBase.get(base) ?? new Set();
        exts.add(m[2]);
        byBase.set(base, exts);
    }
    const out = [];
    for (const [base, exts] of byBase) {
        // glob's ignore patterns drop everything below node_modules and .git, wherever they are.
        if (base.split('/').some((seg) => seg === 'node_modules' || seg === '.git'))
            continue;
        const absBase = external_node_path_.resolve(root, base === '' ? '.' : base);
        let realBase;
        try {
            realBase = external_node_fs_.realpathSync(absBase);
        }
        catch {
            continue;
        }
        if (external_node_path_.resolve(root) !== external_node_fs_.realpathSync(root) || realBase !== absBase)
            return undefined;
        if (!walkDirectory(absBase, base, exts, out, unreadable))
            return undefined;
    }
    return out;
}
/**
 * False when the walk met a symbolic link. A directory that cannot be listed (no permission) is
 * recorded in `unreadable`: its manifests would otherwise vanish without a word.
 */
function walkDirectory(abs, rel, exts, out, unreadable) {
    let entries;
    try {
        entries = external_node_fs_.readdirSync(abs, { withFileTypes: true });
    }
    catch (err) {
        const code = err.code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR')
            unreadable.push({ path: rel === '' ? '.' : rel.slice(0, -1), reason: `directory cannot be read (${code ?? 'error'}); its files were not checked` });
        return true;
    }
    for (const e of entries) {
        const name = e.name;
        if (e.isSymbolicLink())
            return false;
        if (e.isDirectory()) {
            if (name !== 'node_modules' && name !== '.git' && !walkDirectory(external_node_path_.join(abs, name), `${rel}${name}/`, exts, out, unreadable))
                return false;
            continue;
        }
        const dot = name.lastIndexOf('.');
        if (dot !== -1 && exts.has(name.slice(dot + 1)))
            out.push({ rel: rel + name, real: external_node_path_.join(abs, name) });
    }
    return true;
}
/**
 * The order `kubectl apply -R -f` reads files in (Go's filepath.Walk: each directory's entries by
 * name, a directory's files where its name sorts): path component by component, so `sa/old.yaml`
 * comes before `sa.yaml` (a plain string order puts `.` before `/`). Where an object is declared
 * twice, the last one read is the one kubectl leaves. Sorts the list in place and returns it.
 */
function walkOrder(list) {
    const parts = new Map(list.map((item) => [item, item.path.split('/')]));
    return list.sort((x, y) => {
        const a = parts.get(x);
        const b = parts.get(y);
        const n = Math.min(a.length, b.length);
        for (let i = 0; i < n; i++)
            if (a[i] !== b[i])
                return a[i] < b[i] ? -1 : 1;
        return a.length - b.length;
    });
}

;// CONCATENATED MODULE: ./build/cli-args.js
// The CLI's argument parsing: every option of the table as a --flag, plus the CLI-only flags,
// the help text generated from the same table, and the expansion of positional paths into globs.






const FORMATS = ['text', 'json', 'sarif', 'github'];
const cli_args_SPECS = OPTION_TABLE;
/** Flags of the CLI only (not options of the engine). */
const CLI_FLAGS = [
    { flag: 'format', short: undefined, kind: 'enum', values: FORMATS, valueName: 'format', description: 'output format', default: 'text' },
    { flag: 'color', short: undefined, kind: 'boolean', description: 'colour the text output', default: 'when stdout is a TTY' },
    { flag: 'quiet', short: 'q', kind: 'boolean', description: 'print the findings only, without the totals line', default: false },
    { flag: 'help', short: 'h', kind: 'switch', description: 'show this help' },
    { flag: 'version', short: 'v', kind: 'switch', description: 'show the version' },
];
/** Every long flag name the parser accepts, with how it takes values. */
function flagShapes() {
    const shapes = new Map();
    for (const spec of cli_args_SPECS) {
        if (spec.kind === 'boolean') {
            shapes.set(spec.kebab, 'boolean');
            shapes.set(`no-${spec.kebab}`, 'negatable');
        }
        else if (cli_args_isList(spec))
            shapes.set(spec.kebab, 'list');
        else
            shapes.set(spec.kebab, 'string');
    }
    shapes.set('format', 'string');
    shapes.set('color', 'boolean');
    shapes.set('no-color', 'negatable');
    shapes.set('quiet', 'boolean');
    shapes.set('no-quiet', 'negatable');
    shapes.set('help', 'switch');
    shapes.set('version', 'switch');
    return shapes;
}
const SHORT = { h: 'help', v: 'version', q: 'quiet' };
function cli_args_isList(spec) {
    return spec.kind === 'list' || spec.kind === 'registryPatterns' || spec.kind === 'secrets' || spec.kind === 'serviceAccounts';
}
/** Other tools' names for pullcheck's flags: eslint's -o/--output-file, kube-linter's --config-file. */
const OTHER_NAMES = {
    '-o': '--report-file (the JSON report) or --sarif-file',
    '--output': '--report-file (the JSON report) or --sarif-file',
    '--output-file': '--report-file (the JSON report) or --sarif-file',
    '--out': '--report-file (the JSON report) or --sarif-file',
    '--config-file': '--config',
    '--fail-level': '--fail-on',
    '--severity': '--fail-on',
};
function unknownFlag(name, shapes, arg = name) {
    const candidates = [...shapes.keys()].map((f) => `--${f}`);
    // A flag cut short (`--sarif`) or lengthened (`--config-path`), when only one flag is meant.
    const related = name.startsWith('--') ? candidates.filter((c) => c.startsWith(`${name}-`) || name.startsWith(`${c}-`)) : [];
    const guess = OTHER_NAMES[name] ?? (related.length === 1 ? related[0] : nearest(name, candidates));
    let hint = guess === undefined ? '' : `; did you mean ${guess}?`;
    // A path that starts with a dash (`-dash.yaml`) is read as short options.
    if (!arg.startsWith('--') && arg.length > 2)
        hint += `; a path that starts with - goes after -- (pullcheck -- ${arg})`;
    return new OptionsError(`unknown option ${name}${hint}`);
}
/**
 * Checks the flags before parseArgs sees them, so that every usage error names the flag and no
 * value is echoed, and rewrites `--flag=true|false` of booleans into `--flag` / `--no-flag`.
 */
function normalizeArgv(argv, shapes) {
    const out = [];
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === '--') {
            out.push(...argv.slice(i));
            break;
        }
        if (arg.startsWith('--')) {
            const eq = arg.indexOf('=');
            const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
            const inline = eq < 0 ? undefined : arg.slice(eq + 1);
            const shape = shapes.get(name);
            if (shape === undefined)
                throw unknownFlag(`--${name}`, shapes);
            if (shape === 'switch' || shape === 'negatable') {
                if (inline !== undefined)
                    throw new OptionsError(`--${name}: takes no value`);
                out.push(arg);
            }
            else if (shape === 'boolean') {
                if (inline === undefined)
                    out.push(arg);
                else {
                    const r = parseBoolean(inline);
                    if (!r.ok)
                        throw new OptionsError(`--${name}: ${r.problem}`);
                    out.push(r.value ? `--${name}` : `--no-${name}`);
                }
            }
            else if (inline !== undefined) {
                out.push(arg);
            }
            else {
                const next = argv[i + 1];
                if (next === undefined || (next.startsWith('-') && next !== '-')) {
                    throw new OptionsError(`--${name}: a value is missing (write --${name}=<value> for a value that starts with -)`);
                }
                out.push(arg, next);
                i++;
            }
        }
        else if (arg.startsWith('-') && arg !== '-') {
            const eq = arg.indexOf('=');
            if (eq > 1 && [...arg.slice(1, eq)].every((letter) => SHORT[letter] !== undefined)) {
                throw new OptionsError(`${arg.slice(0, eq)}: takes no value`);
            }
            for (const letter of arg.slice(1)) {
                if (SHORT[letter] === undefined)
                    throw unknownFlag(arg.length === 2 ? arg : `-${letter}`, shapes, arg);
            }
            out.push(arg);
        }
        else {
            out.push(arg);
        }
    }
    return out;
}
function parseCliArgs(argv) {
    const shapes = flagShapes();
    const args = normalizeArgv(argv, shapes);
    const options = {};
    for (const [flag, shape] of shapes) {
        options[flag] =
            shape === 'string' ? { type: 'string' } : shape === 'list' ? { type: 'string', multiple: true } : { type: 'boolean' };
    }
    for (const [letter, flag] of Object.entries(SHORT))
        options[flag].short = letter;
    let parsed;
    try {
        parsed = (0,external_node_util_namespaceObject.parseArgs)({ args, options, allowPositionals: true, strict: true, tokens: true });
    }
    catch (e) {
        throw new OptionsError(e.message);
    }
    const values = {};
    const record = values;
    let format = 'text';
    let color;
    let quiet;
    let help = false;
    let version = false;
    let formatProblem;
    // Tokens keep the command-line order: the last of --x / --no-x wins, list values accumulate.
    for (const token of parsed.tokens) {
        if (token.kind !== 'option')
            continue;
        const name = token.name;
        if (name === 'help')
            help = true;
        else if (name === 'version')
            version = true;
        else if (name === 'format') {
            const r = parseEnum(token.value ?? '', FORMATS);
            // Refused after --help and --version, which answer whatever the other values are.
            if (r.ok)
                format = r.value;
            else
                formatProblem = `--format: ${r.problem}`;
        }
        else if (name === 'color' || name === 'no-color')
            color = name === 'color';
        else if (name === 'quiet' || name === 'no-quiet')
            quiet = name === 'quiet';
        else {
            const negated = name.startsWith('no-') && shapes.get(name) === 'negatable';
            const spec = cli_args_SPECS.find((s) => s.kebab === (negated ? name.slice(3) : name));
            if (spec === undefined)
                throw unknownFlag(token.rawName, shapes);
            const key = spec.camel;
            if (spec.kind === 'boolean')
                record[key] = !negated;
            else if (cli_args_isList(spec)) {
                // Each flag's value as given: resolveOptions splits them, and refuses an empty one.
                const earlier = record[key] ?? [];
                record[key] = [...earlier, token.value ?? ''];
            }
            else
                record[key] = token.value ?? '';
        }
    }
    if (help)
        return { kind: 'help', text: helpText() };
    if (version)
        return { kind: 'version' };
    if (formatProblem !== undefined)
        throw new OptionsError(formatProblem);
    const valueAfterSwitch = booleanWordAfterFlag(parsed.tokens, shapes);
    if (valueAfterSwitch !== undefined)
        throw new OptionsError(valueAfterSwitch);
    const result = { kind: 'run', values, paths: parsed.positionals, format, color };
    if (quiet !== undefined)
        result.quiet = quiet;
    return result;
}
/**
 * `--registry-probe false`: a true/false word right after a flag that takes no separate value is
 * read as a path by the argument parser (and then not found). Say how to write it instead.
 */
function booleanWordAfterFlag(tokens, shapes) {
    for (let i = 1; i < tokens.length; i++) {
        const word = tokens[i];
        const flag = tokens[i - 1];
        if (word.kind !== 'positional' || flag.kind !== 'option' || word.index !== flag.index + 1 || flag.value !== undefined)
            continue;
        const said = parseBoolean(word.value ?? '');
        if (!said.ok || flag.name === undefined)
            continue;
        const shape = shapes.get(flag.name);
        if (shape !== 'boolean' && shape !== 'negatable')
            continue;
        const negated = shape === 'negatable';
        const base = negated ? flag.name.slice(3) : flag.name;
        // `--no-annotations true` asks for no annotations: --annotations=false.
        const meant = negated ? String(!said.value) : word.value;
        return `${flag.rawName ?? `--${flag.name}`} takes no separate value ("${word.value}" would be read as a path): write --${base}=${meant}, or --${base} / --no-${base}`;
    }
    return undefined;
}
// ---------------------------------------------------------------------------------------------
// Help
function showDefault(value) {
    if (value === undefined)
        return undefined;
    if (Array.isArray(value))
        return value.length === 0 ? undefined : value.join(',');
    return String(value);
}
function flagUsage(spec) {
    if (spec.kind === 'boolean')
        return `--[no-]${spec.kebab}`;
    const placeholder = spec.kind === 'enum' ? (spec.values ?? []).join('|') : (spec.valueName ?? 'value');
    return `--${spec.kebab} <${placeholder}>`;
}
function table(rows) {
    const width = Math.max(...rows.map(([left]) => left.length)) + 2;
    return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join('\n');
}
/** The CLI help, generated from OPTION_TABLE. */
function helpText() {
    const optionRows = cli_args_SPECS.map((spec) => {
        const shown = showDefault(spec.default);
        const description = spec.actionOnly ? `GitHub Action only: ${spec.description}` : spec.description;
        return [flagUsage(spec), shown === undefined || spec.actionOnly ? description : `${description} (default: ${shown})`];
    });
    const cliRows = CLI_FLAGS.map((f) => {
        const usage = f.kind === 'enum'
            ? `--${f.flag} <${f.values.join('|')}>`
            : f.kind === 'boolean' && f.short === undefined
                ? `--[no-]${f.flag}`
                : `${f.short ? `-${f.short}, ` : ''}--${f.flag}`;
        const shown = 'default' in f ? showDefault(f.default) : undefined;
        return [usage, shown === undefined ? f.description : `${f.description} (default: ${shown})`];
    });
    return [
        'pullcheck: finds the images of rendered Kubernetes manifests that the kubelet could not pull for lack of a pull secret.',
        '',
        'Usage: pullcheck [paths|globs…] [options]',
        '',
        'Arguments:',
        table([
            [
                'paths|globs',
                `files, directories (every ${DEFAULT_MANIFESTS.map((g) => g.replace('**/', '')).join(', ')} below) or globs,`,
            ],
            ['', 'relative to the working directory; a leading ! excludes. Given, they replace --manifests'],
            ['', '(excludes alone narrow it).'],
            ['-', `standard input, reported as ${STDIN_PATH}: helm template . | pullcheck -`],
            ['', 'A FIFO named as a file is read the same way: pullcheck <(helm template .)'],
        ]),
        '',
        'Options:',
        table(optionRows),
        '',
        'Output:',
        table(cliRows),
        '',
        'List options take comma- or newline-separated values and may be repeated.',
        'The config file .pullcheck.yml (or .pullcheck.yaml) in the working directory takes the same options as',
        'camelCase (or kebab-case) keys, plus rules: {<rule-id>: off|notice|warning|error}. Flags override it.',
        '',
        'Exit codes:',
        table([
            ['0', 'no finding at or above --fail-on'],
            ['1', 'findings at or above --fail-on'],
            ['2', 'usage or configuration error, a named path not read, an output or report file that cannot be written, or an internal error'],
        ]),
        '',
    ].join('\n');
}
// ---------------------------------------------------------------------------------------------
// Positionals
/** The name standard input (`-`) is reported under. */
const STDIN_PATH = '<stdin>';
/**
 * Positional arguments, each with the manifest globs it stands for, relative to the working
 * directory (POSIX separators): a directory `d` becomes `d/**\/*.yaml`, `d/**\/*.yml`,
 * `d/**\/*.json`; an existing file itself; anything else is a glob as given. A leading `!`
 * excludes (a directory: everything below it); `-` is standard input.
 */
async function positionals(paths, workingDirectory) {
    const out = [];
    for (const given of paths) {
        const negated = given.startsWith('!');
        const body = negated ? given.slice(1) : given;
        if (body === '')
            continue;
        if (given === '-') {
            out.push({ given, kind: 'stdin', negated: false, globs: [] });
            continue;
        }
        const absolute = external_node_path_.resolve(workingDirectory, body);
        const kind = await pathKind(absolute);
        if (kind === undefined) {
            out.push({ given, kind: 'glob', negated, globs: [negated ? `!${toPosix(body)}` : toPosix(body)] });
            continue;
        }
        if (kind === 'file' && !negated && isStream(absolute)) {
            out.push({ given, kind: 'stream', negated, globs: [] });
            continue;
        }
        const relative = toPosix(external_node_path_.relative(workingDirectory, absolute));
        out.push({ given, kind, negated, globs: pathGlobs(relative, kind, negated), relative });
    }
    return out;
}
/** A FIFO, a character device or a socket: named on the command line, it is read as a stream. */
function isStream(file) {
    try {
        const s = external_node_fs_.statSync(file);
        return s.isFIFO() || s.isCharacterDevice() || s.isSocket();
    }
    catch {
        return false;
    }
}
/**
 * The options of the GitHub Action given on the command line, where they would do nothing: said,
 * not ignored. A flag that asks for what the CLI does anyway (`--no-only-changed`) passes.
 */
function actionOnlyWarnings(values, format) {
    const out = [];
    for (const spec of OPTION_TABLE) {
        const value = values[spec.camel];
        if (!spec.actionOnly || value === undefined)
            continue;
        const matches = spec.kebab === 'annotations' ? value === (format === 'github') : spec.kind === 'boolean' && value === false;
        if (matches)
            continue;
        out.push(`--${value === false ? 'no-' : ''}${spec.kebab} is an option of the GitHub Action; ${spec.actionOnly}`);
    }
    return out;
}
/**
 * Colour by the terminal, as Node and supports-color decide: FORCE_COLOR (0 or false: never;
 * anything else: always) over NO_COLOR (set and not empty: never) over TERM=dumb (never) over
 * whether stdout is a TTY.
 */
function colorWanted(isTTY, env) {
    const force = env.FORCE_COLOR;
    if (force !== undefined)
        return force !== '0' && force !== 'false';
    if (env.NO_COLOR)
        return false;
    // A terminal that says it cannot show colour (Node's getColorDepth, supports-color).
    if (env.TERM === 'dumb')
        return false;
    return isTTY;
}

;// CONCATENATED MODULE: ./build/output-file.js
// The report files (sarif-file, report-file): their directories are made, and a file that cannot
// be written is a message naming the file and the cause (OutputFileError), not an internal error.


class OutputFileError extends Error {
}
/**
 * Writes `content` to `file`, making its missing directories one level at a time: Node's
 * `mkdir(…, {recursive: true})` never returns where the kernel refuses with ENOENT (under /proc).
 * `label` names the setting in the message (`--sarif-file`, `input sarif-file`); `shown` is the
 * file as the user should read it.
 */
function writeOutputFile(file, content, label, shown = file) {
    try {
        makeDirectories(external_node_path_.dirname(file));
        external_node_fs_.writeFileSync(file, content);
    }
    catch (err) {
        throw new OutputFileError(`${label}: cannot write ${shown}: ${cause(err)}`);
    }
}
function makeDirectories(dir) {
    try {
        external_node_fs_.mkdirSync(dir);
    }
    catch (err) {
        const code = err.code;
        if (code === 'EEXIST') {
            if (!external_node_fs_.statSync(dir).isDirectory())
                throw Object.assign(new Error(`${dir} is not a directory`), { code: 'ENOTDIR', path: dir });
            return;
        }
        const parent = external_node_path_.dirname(dir);
        if (code !== 'ENOENT' || parent === dir)
            throw err;
        makeDirectories(parent);
        external_node_fs_.mkdirSync(dir);
    }
}
function cause(err) {
    const e = err;
    const where = e.path ? ` (${e.path})` : '';
    switch (e.code) {
        case 'ENOTDIR':
            return `a part of its path is not a directory${where}`;
        case 'EISDIR':
            return 'it is a directory';
        case 'EACCES':
        case 'EPERM':
            return `permission denied${where}`;
        case 'EROFS':
            return `read-only file system${where}`;
        case 'ENOENT':
            return `no such directory, and it cannot be made${where}`;
        case 'ENOSPC':
            return 'no space left on the device';
        default:
            return e.message ?? String(err);
    }
}

;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: ./build/memory.js
// The young generation's size. Node 22 and later (V8 12+) size it from the machine's memory: on a
// 24 GB machine the new space grows to ~134 MB under the 100k bench input, all of it resident,
// where Node 20 stops at ~34 MB (two semi-spaces of 16 MB). Everything pullcheck builds lives
// until the report, so a larger young generation mostly holds copies of what survives.
// `--max-semi-space-size` set at run time does not act; `--semi-space-growth-factor`, which V8
// reads each time it grows the new space, does. Once the new space reaches Node 20's size, it is
// told to grow no further.
const CAP_BYTES = 32 * 1024 * 1024;
/** Below this heap, the new space cannot have grown past the cap: node:v8 (~2.5 ms) is not loaded. */
const HEAP_BEFORE_LOOKING = 48 * 1024 * 1024;
let capped = false;
/** Stops the young generation's growth once it is as large as Node 20's; cheap to call often. */
function capYoungGeneration() {
    if (capped || process.memoryUsage().heapTotal < HEAP_BEFORE_LOOKING)
        return;
    const v8 = process.getBuiltinModule('node:v8');
    const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    if (space === undefined || space.space_size < CAP_BYTES)
        return;
    v8.setFlagsFromString('--semi-space-growth-factor=1');
    capped = true;
}

;// CONCATENATED MODULE: ./build/source/pipeline.js
// Reading and parsing the manifest files: on the main thread, and on worker threads too when the
// input is large enough to pay for them.
//
// Files are taken from one queue, largest first: the main thread parses one file at a time, and
// each worker takes batches of files. A worker reads and parses its files (loadSource, as the main
// thread does) and posts back the parsed documents (structured clone) with the position table in
// transferable form (PositionTable.exportPositions); the main thread rebuilds the table on the
// cloned values. The result does not depend on who parsed which file: same SourceFiles, in the
// order of `files`.
//
// The worker runs this very module again (in the ncc bundle, the bundle itself), imported by a
// two-line bootstrap that marks the thread with a global: its top-level code below starts serving
// parse requests, then throws so that the modules that import it (analyze, the CLI) never run in
// the worker; the bootstrap swallows that one error. (A top-level await that never settles would do
// the same, but it makes webpack wrap every module of the bundle as async: slower start-up.)





/** Below this many files, or bytes, the main thread alone is faster than with workers. */
const PARALLEL_MIN_FILES = 1000;
const PARALLEL_MIN_BYTES = 24 * 1024 * 1024;
const MAX_AUTO_WORKERS = 3;
/** Upper bound of files per request; requests shrink as the queue empties (guided scheduling). */
const BATCH_FILES = 32;
/** The main thread lets worker results in at least this often (ms). */
const YIELD_EVERY_MS = 5;
const WORKER_MARK = 'pullcheck-parse-worker';
const WORKER_READY = 'PULLCHECK_PARSE_WORKER_READY';
/**
 * The worker's entry: mark the thread as a parse worker, then import the module named in
 * workerData; the error that stops its evaluation is expected. (The mark is a global, so that the
 * main thread never loads node:worker_threads unless it starts workers.)
 */
const BOOTSTRAP = `globalThis['${WORKER_MARK}'] = true; import(require('node:worker_threads').workerData.url).catch((e) => { if (!e || e.code !== '${WORKER_READY}') throw e })`;
const workerThreads = () => process.getBuiltinModule('node:worker_threads');
/** Reads and parses `files`; the result is in the order of `files`. */
async function loadFiles(files, options = {}) {
    const parse = {};
    if (options.skipKinds !== undefined)
        parse.skipKinds = options.skipKinds;
    if (options.prune !== undefined)
        parse.prune = options.prune;
    if (options.fast !== undefined)
        parse.fast = options.fast;
    const out = new Array(files.length);
    const plan = planWorkers(files, options.workers);
    let byWorkers = 0;
    if (plan.workers === 0) {
        await loadOnMainThread(files, parse, out);
    }
    else {
        byWorkers = await loadInParallel(files, parse, out, plan.workers, plan.sizes ?? sizesOf(files));
    }
    // PULLCHECK_DEBUG=pipeline: who parsed what (tests use it to see the workers at work).
    if (/\bpipeline\b/.test(process.env.PULLCHECK_DEBUG ?? '')) {
        process.stderr.write(`pullcheck: pipeline: ${files.length} files, ${plan.workers} worker thread(s), ${byWorkers} files parsed by workers\n`);
    }
    return out;
}
/**
 * How many workers: as asked (the option, else PULLCHECK_WORKERS), else automatic. Automatic
 * means none below PARALLEL_MIN_FILES files or PARALLEL_MIN_BYTES bytes: a worker takes ~60 ms
 * to start, and the main thread must still deserialize what it parsed, so only large inputs gain.
 */
function planWorkers(files, requested) {
    const env = process.env.PULLCHECK_WORKERS;
    let n = requested;
    if (n === undefined && env !== undefined && /^\d+$/.test(env.trim()))
        n = Number(env.trim());
    const cap = (k) => (k > 0 && workerScript() ? Math.max(0, Math.min(k, files.length - 1, 16)) : 0);
    if (n !== undefined)
        return { workers: cap(n) };
    const cores = typeof external_node_os_namespaceObject.availableParallelism === 'function' ? external_node_os_namespaceObject.availableParallelism() : external_node_os_namespaceObject.cpus().length;
    if (cores < 2 || files.length < PARALLEL_MIN_FILES || !workerScript())
        return { workers: 0 };
    const sizes = sizesOf(files);
    if (sizes.reduce((a, b) => a + b, 0) < PARALLEL_MIN_BYTES)
        return { workers: 0 };
    return { workers: cap(Math.min(MAX_AUTO_WORKERS, cores - 1)), sizes };
}
function sizesOf(files) {
    return files.map((f) => {
        try {
            return external_node_fs_.statSync(f.absolute).size;
        }
        catch {
            return 0;
        }
    });
}
function workerScript() {
    const url = new URL(import.meta.url);
    return url.protocol === 'file:' && url.pathname.endsWith('.js') ? url : undefined;
}
function loadRead(file, read, options) {
    if (Buffer.isBuffer(read))
        return files_loadSource(file.path, read, options);
    return 'oversized' in read ? oversizedSource(file.path, read.oversized) : files_unreadableSource(file.path, read.error);
}
/**
 * Main thread only. Reads are synchronous: the files are small and usually in the page cache, where
 * readFileSync costs a fraction of fs.promises.readFile (open, fstat, read, close: four trips to
 * the thread pool), and the thread has nothing else to do meanwhile.
 */
async function loadOnMainThread(files, options, out) {
    for (let i = 0; i < files.length; i++) {
        out[i] = loadRead(files[i], readSync(files[i]), options);
        if ((i & 63) === 63)
            capYoungGeneration();
    }
}
/**
 * The file's bytes. Looked at first: a FIFO would block the run forever and a device would be
 * read without end, and a file over the size limit is not read at all (a gigabyte would be held
 * only to be refused).
 */
function readSync(file) {
    try {
        const stat = external_node_fs_.statSync(file.absolute);
        if (!stat.isFile())
            return { error: 'not a regular file: a FIFO, a device or a socket' };
        if (stat.size > MAX_FILE_BYTES)
            return { oversized: stat.size };
        return external_node_fs_.readFileSync(file.absolute);
    }
    catch (err) {
        return { error: err.code ?? 'read error' };
    }
}
/** Returns how many files the workers parsed. */
async function loadInParallel(files, options, out, count, size) {
    const retry = []; // files of a worker that died, for the main thread
    let byWorkers = 0;
    let remaining = files.length;
    let wake;
    const settle = (index, file) => {
        if (out[index])
            return false;
        out[index] = file;
        remaining--;
        if (remaining === 0 && wake)
            wake();
        return true;
    };
    const script = workerScript();
    const states = [];
    const { Worker } = workerThreads();
    const workers = Array.from({ length: count }, () => new Worker(BOOTSTRAP, { eval: true, workerData: { url: script.href }, stdout: false, stderr: false }));
    // The largest files first (sizes are heavy tailed: install bundles of megabytes beside files of
    // a few hundred bytes), so that all the threads end together on small files.
    const queue = files.map((_, i) => i).sort((a, b) => size[b] - size[a] || a - b);
    let next = 0; // queue[next…] are not taken yet
    let bytesLeft = size.reduce((a, b) => a + b, 0);
    // Guided scheduling: a request takes a share of the bytes left, so that requests are large
    // while the queue is long and small at its end, where a large one would keep the others waiting.
    const takeBatch = () => {
        if (next >= queue.length)
            return undefined;
        const share = bytesLeft / (3 * (count + 1));
        const items = [];
        let bytes = 0;
        while (next < queue.length && items.length < BATCH_FILES && (items.length === 0 || bytes + size[queue[next]] <= share)) {
            const i = queue[next++];
            bytes += size[i];
            items.push({ index: i, path: files[i].path, absolute: files[i].absolute });
        }
        bytesLeft -= bytes;
        return { items, options };
    };
    // A worker holds two requests, so that it never waits for the main thread to answer.
    const feed = (s) => {
        while (!s.dead && s.pending.length < 2) {
            const req = takeBatch();
            if (!req)
                return;
            s.pending.push(req);
            s.worker.postMessage(req);
        }
    };
    const fail = (s) => {
        if (s.dead)
            return;
        s.dead = true;
        for (const req of s.pending)
            for (const it of req.items)
                if (!out[it.index])
                    retry.push(it.index);
        s.pending = [];
        void s.worker.terminate();
        if (wake)
            wake();
    };
    for (const worker of workers) {
        const s = { worker, pending: [], dead: false };
        states.push(s);
        worker.on('message', (msg) => {
            s.pending.shift();
            for (const wire of msg.results)
                if (!out[wire.index] && settle(wire.index, fromWire(wire)))
                    byWorkers++;
            feed(s);
        });
        // A result the main thread cannot deserialise (a value nested thousands deep through aliases
        // overflows its stack) arrives as a messageerror, in place of the oldest request's answer: its
        // files go to the main thread, which reports what it finds there.
        worker.on('messageerror', () => {
            const req = s.pending.shift();
            if (req)
                for (const it of req.items)
                    if (!out[it.index])
                        retry.push(it.index);
            if (wake)
                wake();
            feed(s);
        });
        worker.on('error', () => fail(s));
        worker.on('exit', () => fail(s));
        feed(s);
    }
    // The main thread takes one file at a time from the front of the queue.
    let lastYield = performance.now();
    while (remaining > 0) {
        let index = retry.shift();
        if (index === undefined && next < queue.length) {
            index = queue[next++];
            bytesLeft -= size[index];
        }
        if (index === undefined) {
            // Everything is taken: wait for the workers (or for a failed worker's files).
            await new Promise((r) => {
                wake = r;
            });
            wake = undefined;
            continue;
        }
        if (!out[index])
            settle(index, loadRead(files[index], readSync(files[index]), options));
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
            capYoungGeneration();
            // Let the workers' results in, and give them more work.
            await new Promise((r) => setImmediate(r));
            lastYield = performance.now();
        }
    }
    for (const s of states) {
        s.dead = true;
        s.worker.removeAllListeners('exit');
        void s.worker.terminate();
    }
    return byWorkers;
}
function fromWire(wire) {
    if (!wire.parsed) {
        const file = { path: wire.path, text: wire.text, positions: new PositionTable(wire.text), problems: wire.problems };
        if (wire.readError !== undefined)
            file.readError = wire.readError;
        return file;
    }
    const { documents, errors, skipped } = wire.parsed;
    const positions = PositionTable.importPositions(wire.text, documents, wire.parsed.positions);
    return { path: wire.path, text: wire.text, positions, parsed: { text: wire.text, documents, errors, positions, skipped }, problems: wire.problems };
}
function toWire(index, file) {
    const wire = { index, path: file.path, text: file.text, problems: file.problems };
    if (file.readError !== undefined)
        wire.readError = file.readError;
    const transfer = [];
    if (file.parsed) {
        const positions = file.positions.exportPositions(file.parsed.documents);
        wire.parsed = { documents: file.parsed.documents, errors: file.parsed.errors, skipped: file.parsed.skipped, positions };
        transfer.push(positions.data.buffer, positions.order.buffer);
    }
    return { wire, transfer };
}
/** The worker's side: read, parse, post back. */
function serveParseRequests() {
    const port = workerThreads().parentPort;
    port.on('message', (req) => {
        const results = [];
        const transfer = [];
        for (const it of req.items) {
            const { wire, transfer: t } = toWire(it.index, loadRead(it, readSync(it), req.options));
            results.push(wire);
            transfer.push(...t);
        }
        port.postMessage({ results }, transfer);
    });
}
if (globalThis[WORKER_MARK] === true) {
    serveParseRequests();
    // Stop here: the modules that import this one (the analysis, the CLI) must not run in a worker.
    throw Object.assign(new Error('pullcheck parse worker ready'), { code: WORKER_READY });
}

;// CONCATENATED MODULE: ./build/model/secrets.js
// Secrets and the objects that make Secrets appear (SealedSecret, ExternalSecret, replication
// annotations, configuration): each becomes a SecretDef, with known or unknown content.




const DOCKERCONFIGJSON = 'kubernetes.io/dockerconfigjson';
const DOCKERCFG = 'kubernetes.io/dockercfg';
const DOCKER_TYPES = new Set([DOCKERCONFIGJSON, DOCKERCFG]);
const KEY_FOR_TYPE = { [DOCKERCONFIGJSON]: '.dockerconfigjson', [DOCKERCFG]: '.dockercfg' };
function secretFromV1(r) {
    const data = new Map();
    const d = get(r.obj, ['data']);
    if (isObj(d)) {
        for (const [k, v] of Object.entries(d)) {
            data.set(k, { value: typeof v === 'string' ? decodeBase64Strict(v) : v === null ? '' : undefined, path: ['data', k] });
        }
    }
    const sd = get(r.obj, ['stringData']);
    if (isObj(sd)) {
        // stringData wins per key, as the API server merges it.
        for (const [k, v] of Object.entries(sd)) {
            const path = ['stringData', k];
            if (typeof v === 'string' || v === null)
                data.set(k, { value: v ?? '', path });
            else
                data.set(k, { value: undefined, path, rejected: stringDataRejected(k, v) });
        }
    }
    const rejected = undecodable(r);
    const def = {
        name: r.name,
        namespace: r.namespace,
        type: resources_str(r.obj.type) ?? 'Opaque',
        origin: 'Secret',
        resource: r,
        namePath: ['metadata', 'name'],
        content: 'known',
        data,
        dataKeys: [...data.keys()],
        label: `Secret ${r.namespace}/${r.name}`,
    };
    if (r.obj.type !== undefined)
        def.typePath = ['type'];
    if (rejected)
        def.rejected = rejected;
    return def;
}
/**
 * The first field that keeps the API server from accepting a v1 Secret (so it never exists). First
 * what it cannot decode at all: a label or annotation that is not a string, a `data` value that is
 * not a base64 string (also one that stringData replaces: data is decoded first), a `stringData`
 * value that is not a string. Then what its validation (ValidateSecret) refuses: the object's
 * metadata (invalidMetadata), the keys of data and stringData (IsConfigMapKey). The key the type
 * reads is left to the resolver, which says more about it.
 */
function undecodable(r) {
    const metadata = nonStringLabels(r.obj);
    if (metadata)
        return { detail: refusalDetail(metadata, 'Secret'), path: metadata.path };
    // The key the type reads, where it is written last, is left to the resolver (it says more).
    const dockerKey = KEY_FOR_TYPE[resources_str(r.obj.type) ?? 'Opaque'];
    const data = get(r.obj, ['data']);
    const stringData = get(r.obj, ['stringData']);
    const overridden = (k) => isObj(stringData) && k in stringData;
    if (isObj(data)) {
        // Every data value is decoded, also one that stringData then replaces.
        for (const [k, v] of Object.entries(data)) {
            if ((k === dockerKey && !overridden(k)) || v === null || (typeof v === 'string' && isBase64Strict(v)))
                continue;
            const what = typeof v === 'string' ? 'is not valid base64' : `is ${validation_kindOf(v)}, not a base64 string`;
            return { detail: `its data value ${k} ${what}, so the API server cannot decode the Secret and it never exists`, path: ['data', k] };
        }
    }
    if (isObj(stringData)) {
        for (const [k, v] of Object.entries(stringData)) {
            if (k === dockerKey || typeof v === 'string' || v === null)
                continue;
            return { detail: stringDataRejected(k, v), path: ['stringData', k] };
        }
    }
    const invalid = invalidMetadata(r.obj, 'Secret');
    if (invalid)
        return { detail: refusalDetail(invalid, 'Secret'), path: invalid.path };
    for (const field of ['data', 'stringData']) {
        const entries = get(r.obj, [field]);
        if (!isObj(entries))
            continue;
        for (const k of Object.keys(entries)) {
            if (!isConfigMapKey(k))
                return { detail: `its ${field} key ${JSON.stringify(k)} is not a valid key (letters, digits, -, _ and . only, at most 253 characters, not . or .. and not starting with ..), so the API server refuses the Secret and it never exists`, path: [field, k] };
        }
    }
    return undefined;
}
function stringDataRejected(key, value) {
    return `its stringData value ${key} is ${validation_kindOf(value)}, not a string, so the API server cannot decode the Secret (quote the value, or write it as a JSON string)`;
}
function sealedSecret(r) {
    const tmplType = resources_str(get(r.obj, ['spec', 'template', 'type']));
    const enc = get(r.obj, ['spec', 'encryptedData']);
    // The controller names the Secret after the SealedSecret itself, whatever spec.template.metadata
    // says (Unseal: "Ensure these are set to what we expect"; kustomize's namespace: and namePrefix
    // change metadata only).
    const ns = r.namespace;
    const name = r.name;
    const def = {
        name,
        namespace: ns,
        type: tmplType ?? 'Opaque',
        origin: 'SealedSecret',
        resource: r,
        namePath: ['metadata', 'name'],
        content: 'unknown',
        label: `SealedSecret ${ns}/${name}`,
    };
    if (tmplType !== undefined)
        def.typePath = ['spec', 'template', 'type'];
    if (isObj(enc)) {
        // Unseal: the decrypted encryptedData, then spec.template.data (templates over it), nothing else.
        const tdata = get(r.obj, ['spec', 'template', 'data']);
        def.dataKeys = [...new Set([...Object.keys(enc), ...(isObj(tdata) ? Object.keys(tdata) : [])])];
        def.keysExactAt = ['spec', 'encryptedData'];
    }
    return def;
}
/**
 * Registry keys of a literal `.dockerconfigjson` template (`{"auths":{"ghcr.io":{…{{ .token }}…}}}`);
 * undefined when they cannot be read, or when the template computes a host itself.
 */
function registriesFromTemplate(template) {
    // Template expressions replaced, as text inside strings, or as strings where a value goes
    // (`"auth": {{ .x | quote }}`), then read as the kubelet reads it (auths matched in any case).
    // The stand-in is base64 of `u:p`, so that an `auth` made of expressions decodes.
    const PLACEHOLDER = 'dTpw';
    const EXPRESSION = /\{\{[\s\S]*?\}\}/g;
    for (const text of [template.replace(EXPRESSION, PLACEHOLDER), template.replace(EXPRESSION, `"${PLACEHOLDER}"`)]) {
        const decoded = dockerconfig_decodeDockerConfigJson(text);
        if (!decoded.ok)
            continue;
        const keys = decoded.entries.map(([key]) => key);
        if (!keys.length || keys.some((k) => k.includes(PLACEHOLDER)))
            return undefined;
        return keys;
    }
    return undefined;
}
function externalSecretDef(r, spec, namespace, origin, base, fallbackName, fallbackPath = ['metadata', 'name']) {
    const targetName = resources_str(get(spec, ['target', 'name']));
    const type = resources_str(get(spec, ['target', 'template', 'type']));
    const tdata = get(spec, ['target', 'template', 'data']);
    const def = {
        name: targetName || fallbackName,
        namespace,
        type: type ?? 'Opaque',
        origin,
        resource: r,
        namePath: targetName ? [...base, 'target', 'name'] : fallbackPath,
        content: 'unknown',
        // The object by its own name, and the Secret's when it differs (spec.target.name, a ClusterExternalSecret's externalSecretName).
        label: `${origin} ${namespace === '*' ? '' : namespace + '/'}${r.name}${(targetName || fallbackName) !== r.name ? `'s Secret ${targetName || fallbackName}` : ''}`,
    };
    if (type !== undefined)
        def.typePath = [...base, 'target', 'template', 'type'];
    if (isObj(tdata)) {
        def.dataKeys = Object.keys(tdata);
        // ESO's applyTemplate: template data (and templateFrom) replace the provider's data unless the
        // mergePolicy is Merge; an empty template data falls back to the provider's.
        const templateFrom = get(spec, ['target', 'template', 'templateFrom']);
        const merge = resources_str(get(spec, ['target', 'template', 'mergePolicy'])) === 'Merge';
        if (def.dataKeys.length > 0 && !merge && !(Array.isArray(templateFrom) && templateFrom.length > 0))
            def.keysExactAt = [...base, 'target', 'template', 'data'];
        const key = KEY_FOR_TYPE[def.type];
        const literal = key ? tdata[key] : undefined;
        if (typeof literal === 'string') {
            const regs = registriesFromTemplate(literal);
            if (regs) {
                def.content = 'registries';
                def.registries = regs;
            }
        }
    }
    return def;
}
/**
 * Whether an ExternalSecret spec makes a Secret: creationPolicy `None` creates nothing, `Merge`
 * only adds to a Secret that must exist on its own, and a `target.manifest` of another kind than a
 * v1 Secret makes that object instead (ESO's generic targets: a ConfigMap, a custom resource).
 */
function createsSecret(spec) {
    const policy = resources_str(get(spec, ['target', 'creationPolicy']));
    const manifest = get(spec, ['target', 'manifest']);
    if (isObj(manifest) && (manifest.apiVersion !== 'v1' || manifest.kind !== 'Secret'))
        return false;
    return policy !== 'None' && policy !== 'Merge';
}
function externalSecret(r) {
    const spec = get(r.obj, ['spec']);
    if (!isObj(spec) || !createsSecret(spec))
        return undefined;
    return externalSecretDef(r, spec, r.namespace, 'ExternalSecret', ['spec'], r.name);
}
function clusterExternalSecret(r) {
    const spec = get(r.obj, ['spec', 'externalSecretSpec']);
    // Each ExternalSecret it makes carries the spec, creation policy included.
    if (!isObj(spec) || !createsSecret(spec))
        return [];
    const esName = resources_str(get(r.obj, ['spec', 'externalSecretName']));
    const name = esName || r.name;
    const namePath = esName ? ['spec', 'externalSecretName'] : ['metadata', 'name'];
    const base = ['spec', 'externalSecretSpec'];
    const namespaces = get(r.obj, ['spec', 'namespaces']);
    // ESO's GetTargetNamespaces: one selector per listed namespace, then namespaceSelector (when
    // set; `{}` selects every namespace) and each of namespaceSelectors. None: no namespace at all.
    const selector = get(r.obj, ['spec', 'namespaceSelector']);
    const selectors = get(r.obj, ['spec', 'namespaceSelectors']);
    const all = [...(isObj(selector) ? [selector] : []), ...(Array.isArray(selectors) ? selectors.filter(isObj) : [])];
    const defs = [];
    if (Array.isArray(namespaces)) {
        for (const ns of namespaces)
            if (typeof ns === 'string')
                defs.push(externalSecretDef(r, spec, ns, 'ClusterExternalSecret', base, name, namePath));
    }
    if (all.length > 0) {
        // The selectors are matched against the labels of declared Namespaces; a namespace no object
        // declares may match (its labels are unknown), and so may any, for a selector not understood.
        const matchers = all.map(metaLabelSelector);
        const def = externalSecretDef(r, spec, '*', 'ClusterExternalSecret', base, name, namePath);
        def.matches = (_ns, labels) => matchers.some((m) => m === undefined || m(labels) !== false);
        defs.push(def);
    }
    return defs;
}
/** The value of a label, own keys only (a label named `constructor` is not the prototype's). */
function labelValue(labels, key) {
    return Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined;
}
/** The selector of all these requirements: none selects everything, even unknown labels. */
function allOf(requirements) {
    return (labels) => (requirements.length === 0 ? true : labels === undefined ? undefined : requirements.every((r) => r(labels)));
}
/**
 * A metav1.LabelSelector as LabelSelectorAsSelector reads it: every `matchLabels` pair and every
 * `matchExpressions` requirement (In, NotIn with values; Exists, DoesNotExist without), all of
 * them; `{}` selects everything. Undefined when it refuses the selector. The matcher gives
 * undefined for a namespace whose labels are unknown.
 */
function metaLabelSelector(selector) {
    const requirements = [];
    const { matchLabels, matchExpressions } = selector;
    if (matchLabels !== undefined && matchLabels !== null) {
        if (!isObj(matchLabels))
            return undefined;
        for (const [key, v] of Object.entries(matchLabels)) {
            if (!isQualifiedName(key) || typeof v !== 'string' || !isLabelValue(v))
                return undefined;
            requirements.push((l) => labelValue(l, key) === v);
        }
    }
    if (matchExpressions !== undefined && matchExpressions !== null) {
        if (!Array.isArray(matchExpressions))
            return undefined;
        for (const e of matchExpressions) {
            if (!isObj(e) || typeof e.key !== 'string' || !isQualifiedName(e.key))
                return undefined;
            const key = e.key;
            const values = e.values ?? [];
            if (!Array.isArray(values) || !values.every((v) => typeof v === 'string' && isLabelValue(v)))
                return undefined;
            const set = new Set(values);
            switch (e.operator) {
                case 'In':
                case 'NotIn':
                    if (set.size === 0)
                        return undefined;
                    requirements.push(e.operator === 'In' ? (l) => set.has(labelValue(l, key) ?? '\u0000') : (l) => !set.has(labelValue(l, key) ?? '\u0000'));
                    break;
                case 'Exists':
                case 'DoesNotExist':
                    if (set.size > 0)
                        return undefined;
                    requirements.push(e.operator === 'Exists' ? (l) => labelValue(l, key) !== undefined : (l) => labelValue(l, key) === undefined);
                    break;
                default:
                    return undefined;
            }
        }
    }
    return allOf(requirements);
}
const REFLECTOR = 'reflector.v1.k8s.emberstack.com/';
const REPLICATOR = 'replicator.v1.mittwald.de/';
/**
 * reflector's PatternListMatch: the comma-separated items, trimmed (blank ones dropped), each a
 * regular expression whose first match must be the whole name (.NET's Regex.Match, unanchored:
 * of `ns-1|ns-10`, `ns-1` matches first, so ns-10 is not matched). An empty list allows every
 * namespace; a list of blanks, none. An item that is not a valid expression is taken literally.
 */
function reflectorPatternMatch(list, ns) {
    if (list === '')
        return true;
    return list.split(',').some((raw) => {
        const item = raw.trim();
        if (item === '')
            return false;
        try {
            const m = dotNetRegExp(item).exec(ns);
            return m !== null && m.index === 0 && m[0].length === ns.length;
        }
        catch {
            return ns === item;
        }
    });
}
/**
 * A .NET regular expression as JavaScript reads it, for the constructs of .NET that JavaScript
 * lacks and namespace patterns use: a leading inline `(?i)` (a flag), `\A` and `\z` / `\Z` (the
 * input's start and end).
 */
/** The expressions made of reflector's patterns, by pattern: a pattern is read once, however many namespaces it is tried on. */
const DOTNET_CACHE = new Map();
function dotNetRegExp(pattern) {
    let re = DOTNET_CACHE.get(pattern);
    if (!re) {
        re = makeDotNetRegExp(pattern);
        if (DOTNET_CACHE.size < 10_000)
            DOTNET_CACHE.set(pattern, re);
    }
    return re;
}
function makeDotNetRegExp(pattern) {
    let flags = '';
    let p = pattern;
    if (p.startsWith('(?i)')) {
        flags = 'i';
        p = p.slice(4);
    }
    p = p.replace(/(^|[^\\])((?:\\\\)*)\\A/g, '$1$2^').replace(/(^|[^\\])((?:\\\\)*)\\[zZ]/g, '$1$2$');
    return new RegExp(p, flags);
}
/**
 * reflector's LabelSelectorMatch: comma-separated requirements (outside parentheses), all of
 * them: `key in (a,b)`, `key notin (a,b)`, `key!=value`, `key=value` or `key==value`, `!key`,
 * `key`. Undefined when the namespace's labels are unknown (no Namespace object declares it).
 */
function reflectorSelectorMatch(selector, labels) {
    if (selector.trim() === '')
        return true;
    if (labels === undefined)
        return undefined;
    const has = (k) => Object.prototype.hasOwnProperty.call(labels, k);
    const parts = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < selector.length; i++) {
        const c = selector[i];
        if (c === '(')
            depth++;
        else if (c === ')')
            depth--;
        else if (c === ',' && depth === 0) {
            parts.push(selector.slice(start, i));
            start = i + 1;
        }
    }
    parts.push(selector.slice(start));
    for (const raw of parts) {
        const req = raw.trim();
        if (req === '')
            continue;
        const set = /^([a-zA-Z0-9_./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(req);
        if (set) {
            const values = new Set(set[3].split(',').map((v) => v.trim()).filter((v) => v !== ''));
            const value = has(set[1]) ? labels[set[1]] : undefined;
            const ok = set[2] === 'in' ? value !== undefined && values.has(value) : value === undefined || !values.has(value);
            if (!ok)
                return false;
            continue;
        }
        if (req.includes('!=')) {
            const [k, v] = [req.slice(0, req.indexOf('!=')).trim(), req.slice(req.indexOf('!=') + 2).trim()];
            if (has(k) && labels[k] === v)
                return false;
            continue;
        }
        let eq = req.indexOf('==');
        if (eq < 0)
            eq = req.indexOf('=');
        if (eq > 0) {
            const k = req.slice(0, eq).replace(/=+$/, '').trim();
            const v = req.slice(eq + (req.startsWith('==', eq) ? 2 : 1)).trim();
            if (!has(k) || labels[k] !== v)
                return false;
            continue;
        }
        if (req.startsWith('!')) {
            if (has(req.slice(1).trim()))
                return false;
            continue;
        }
        if (!has(req))
            return false;
    }
    return true;
}
/**
 * reflector's MatchNamespace: the name patterns or the label selector (either one; a namespace
 * whose labels are unknown may match the selector), every namespace when neither is set.
 */
function reflectorMatch(list, selector, ns, labels) {
    const patterns = list ?? '';
    const sel = selector ?? '';
    if (patterns === '' && sel === '')
        return true;
    if (patterns !== '' && reflectorPatternMatch(patterns, ns))
        return true;
    return sel !== '' && reflectorSelectorMatch(sel, labels) !== false;
}
/**
 * A Kubernetes label selector as labels.Parse reads it (k8s.io/apimachinery/pkg/labels): requirements
 * separated by commas, all of them: `key`, `!key`, `key=value`, `key==value`, `key!=value`,
 * `key in (a,b)`, `key notin (a,b)`, `key>1`, `key<1`; keys must be qualified names and values
 * label values. An empty selector selects everything. Undefined when labels.Parse refuses it. The
 * matcher gives undefined for a namespace whose labels are unknown (no Namespace object declares it).
 */
function labelSelector(selector) {
    const SPECIAL = '=!(),<>';
    const tokens = [];
    for (let i = 0; i < selector.length;) {
        const c = selector[i];
        if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
            i++;
        }
        else if (SPECIAL.includes(c)) {
            const two = selector.slice(i, i + 2);
            const op = two === '==' || two === '!=' ? two : c;
            tokens.push(op);
            i += op.length;
        }
        else {
            let j = i;
            while (j < selector.length && !SPECIAL.includes(selector[j]) && !' \t\n\r'.includes(selector[j]))
                j++;
            tokens.push(selector.slice(i, j));
            i = j;
        }
    }
    // `in` and `notin` are operators where a key is read, and words where a value is.
    const isValue = (t) => t !== undefined && !SPECIAL.includes(t[0]);
    const isWord = (t) => isValue(t) && t !== 'in' && t !== 'notin';
    const requirements = [];
    let k = 0;
    while (k < tokens.length) {
        const negated = tokens[k] === '!';
        if (negated)
            k++;
        const key = tokens[k++];
        if (!isWord(key) || !isQualifiedName(key))
            return undefined;
        const op = tokens[k];
        if (negated || op === undefined || op === ',') {
            requirements.push(negated ? (l) => labelValue(l, key) === undefined : (l) => labelValue(l, key) !== undefined);
        }
        else if (op === 'in' || op === 'notin') {
            if (tokens[++k] !== '(')
                return undefined;
            const values = new Set();
            k++;
            for (;;) {
                let v = ''; // `()` and `(a,,b)` hold the empty value
                if (isValue(tokens[k]))
                    v = tokens[k++];
                if (!isLabelValue(v))
                    return undefined;
                values.add(v);
                if (tokens[k] === ')')
                    break;
                if (tokens[k] !== ',')
                    return undefined;
                k++;
            }
            k++;
            requirements.push(op === 'in' ? (l) => values.has(labelValue(l, key) ?? '\u0000') : (l) => !values.has(labelValue(l, key) ?? '\u0000'));
        }
        else if (op === '=' || op === '==' || op === '!=') {
            k++;
            let v = '';
            if (isValue(tokens[k]))
                v = tokens[k++];
            if (!isLabelValue(v))
                return undefined;
            requirements.push(op === '!=' ? (l) => labelValue(l, key) !== v : (l) => labelValue(l, key) === v);
        }
        else if (op === '<' || op === '>') {
            const v = tokens[++k];
            k++;
            if (!isValue(v) || !/^[-+]?[0-9]+$/.test(v) || !isLabelValue(v))
                return undefined;
            const bound = BigInt(v);
            requirements.push((l) => {
                const have = labelValue(l, key);
                if (have === undefined || !/^[-+]?[0-9]+$/.test(have))
                    return false;
                return op === '<' ? BigInt(have) < bound : BigInt(have) > bound;
            });
        }
        else {
            return undefined;
        }
        if (k === tokens.length)
            break;
        if (tokens[k] !== ',' || k === tokens.length - 1)
            return undefined;
        k++;
    }
    return allOf(requirements);
}
/**
 * kubernetes-replicator's reading of a namespace list (StringToPatternList): each comma-separated
 * item, trimmed, anchored with ^ and $ where it lacks them and with no group around it
 * (BuildStrictRegex), so `dev|staging` matches every namespace that starts with dev; an empty item
 * matches none, an invalid one is skipped.
 */
function replicatorMatcher(list) {
    const patterns = list.split(',').flatMap((p) => {
        let re = p.trim();
        if (!re.startsWith('^'))
            re = '^' + re;
        if (!re.endsWith('$'))
            re += '$';
        try {
            return [new RegExp(re)];
        }
        catch {
            return [];
        }
    });
    return (ns) => patterns.some((re) => re.test(ns));
}
/**
 * The annotations of the Secret an object makes: a Secret's own; a SealedSecret's
 * spec.template.metadata (Unseal copies that ObjectMeta, never the SealedSecret's); an
 * ExternalSecret's target template metadata when it has a template, else its own (ESO's
 * mergeMetadata).
 */
function producedAnnotations(r) {
    switch (r.kind) {
        case 'SealedSecret':
            return stringEntries(get(r.obj, ['spec', 'template', 'metadata', 'annotations']));
        case 'ExternalSecret': {
            const template = get(r.obj, ['spec', 'target', 'template']);
            return isObj(template) ? stringEntries(get(template, ['metadata', 'annotations'])) : annotations(r);
        }
        default:
            return annotations(r);
    }
}
/** Reflector's reading of a boolean annotation (bool.TryParse: `true` in any case). */
function truthy(v) {
    return (v ?? '').trim().toLowerCase() === 'true';
}
/** Copies that reflector / kubernetes-replicator make of a Secret in other namespaces. */
function replicas(def, r) {
    const a = producedAnnotations(r);
    const out = [];
    if (truthy(a[REFLECTOR + 'reflection-allowed']) && truthy(a[REFLECTOR + 'reflection-auto-enabled'])) {
        const [allowed, allowedSelector, auto, autoSelector] = ['allowed-namespaces', 'allowed-namespaces-selector', 'auto-namespaces', 'auto-namespaces-selector'].map((k) => a[REFLECTOR + 'reflection-' + k]);
        const lists = ['auto-namespaces', 'auto-namespaces-selector', 'allowed-namespaces', 'allowed-namespaces-selector']
            .filter((k) => a[REFLECTOR + 'reflection-' + k] !== undefined)
            .map((k) => `reflection-${k} "${a[REFLECTOR + 'reflection-' + k]}"`);
        out.push({
            ...def,
            namespace: '*',
            // CanBeAutoReflectedToNamespace: allowed there, and auto-reflected there.
            matches: (ns, labels) => ns !== def.namespace && reflectorMatch(allowed, allowedSelector, ns, labels) && reflectorMatch(auto, autoSelector, ns, labels),
            origin: 'reflector',
            source: def,
            label: `${def.label} (reflected by reflector)`,
            reach: lists.length ? `the namespaces of its ${lists.join(' and ')}` : 'every namespace',
            bySelector: [allowedSelector, autoSelector].some((v) => v !== undefined && v.trim() !== ''),
        });
    }
    const to = a[REPLICATOR + 'replicate-to'];
    const toMatching = a[REPLICATOR + 'replicate-to-matching'];
    // kubernetes-replicator's ResourceAdded handles replicate-from and returns: a copy pushes nothing.
    if ((to !== undefined || toMatching !== undefined) && a[REPLICATOR + 'replicate-from'] === undefined) {
        // ResourceAdded: the namespaces replicate-to names, and those replicate-to-matching selects by
        // their labels (labels.Parse; one it refuses copies nowhere).
        const named = to !== undefined ? replicatorMatcher(to) : () => false;
        const selects = toMatching !== undefined ? labelSelector(toMatching) : undefined;
        const reach = [
            ...(to !== undefined ? [`the namespaces of its replicate-to "${to}"`] : []),
            ...(toMatching === undefined ? [] : selects ? [`the namespaces its replicate-to-matching "${toMatching}" selects`] : [`no namespace (its replicate-to-matching "${toMatching}" is not a label selector that labels.Parse reads)`]),
        ];
        out.push({
            ...def,
            namespace: '*',
            matches: (ns, labels) => ns !== def.namespace && (named(ns) || (selects !== undefined && selects(labels) !== false)),
            origin: 'replicator',
            source: def,
            label: `${def.label} (replicated by kubernetes-replicator)`,
            reach: reach.join(' and '),
            bySelector: selects !== undefined,
        });
    }
    return out;
}
/** The `ns/name` a Secret says it copies its content from (pull-based replication), if any. */
function replicatesFrom(r) {
    return replicationSource(r)?.from;
}
/** Which tool a Secret asks to fill it from another (pull-based replication), and from where. */
function replicationSource(r) {
    const a = annotations(r);
    const replicator = a[REPLICATOR + 'replicate-from'];
    if (replicator !== undefined)
        return { tool: 'replicator', from: replicator.trim() };
    const reflector = a[REFLECTOR + 'reflects'];
    return reflector !== undefined ? { tool: 'reflector', from: reflector.trim() } : undefined;
}
/** Go's strconv.ParseBool. */
function parseGoBool(v) {
    if (v === undefined)
        return undefined;
    if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v))
        return true;
    if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(v))
        return false;
    return undefined;
}
/**
 * Why the tool refuses to copy `source` into a Secret of `namespace`, if it does: the source must
 * allow it. kubernetes-replicator's IsReplicationPermitted (unless it runs with --allow-all):
 * `replication-allowed: "true"` and a `replication-allowed-namespaces` pattern that matches;
 * reflector: `reflection-allowed: "true"`, and its `reflection-allowed-namespaces` or
 * `reflection-allowed-namespaces-selector` when set (CanBeReflectedToNamespace).
 */
function replicationRefused(tool, source, namespace, labels) {
    const a = source.resource ? producedAnnotations(source.resource) : {};
    if (tool === 'replicator') {
        const name = 'kubernetes-replicator copies nothing into it';
        const allowAll = ' (unless the replicator runs with --allow-all)';
        if (parseGoBool(a[REPLICATOR + 'replication-allowed']) !== true) {
            return { why: `${name}: its source ${source.label} lacks the annotation ${REPLICATOR}replication-allowed: "true"${allowAll}`, fix: `annotate its source ${source.label} with ${REPLICATOR}replication-allowed: "true" and replication-allowed-namespaces naming ${namespace}` };
        }
        const list = a[REPLICATOR + 'replication-allowed-namespaces'];
        if (list === undefined) {
            return { why: `${name}: its source ${source.label} lacks the annotation ${REPLICATOR}replication-allowed-namespaces${allowAll}`, fix: `annotate its source ${source.label} with ${REPLICATOR}replication-allowed-namespaces naming ${namespace}` };
        }
        if (replicatorMatcher(list)(namespace))
            return undefined;
        return { why: `${name}: the replication-allowed-namespaces "${list}" of its source ${source.label} do not include ${namespace}${allowAll}`, fix: `add ${namespace} to the replication-allowed-namespaces of its source ${source.label}` };
    }
    const name = 'reflector copies nothing into it';
    if (!truthy(a[REFLECTOR + 'reflection-allowed'])) {
        return { why: `${name}: its source ${source.label} lacks the annotation ${REFLECTOR}reflection-allowed: "true"`, fix: `annotate its source ${source.label} with ${REFLECTOR}reflection-allowed: "true"` };
    }
    const list = a[REFLECTOR + 'reflection-allowed-namespaces'];
    const selector = a[REFLECTOR + 'reflection-allowed-namespaces-selector'];
    if (reflectorMatch(list, selector, namespace, labels))
        return undefined;
    const names = list !== undefined && list !== '' ? `reflection-allowed-namespaces "${list}"` : undefined;
    const selects = selector !== undefined && selector !== '' ? `reflection-allowed-namespaces-selector "${selector}"` : undefined;
    const what = [names, selects].filter((x) => x !== undefined).join(' and the ');
    return {
        why: `${name}: the ${what} of its source ${source.label} ${names ? 'do not include' : 'does not select'} ${namespace}`,
        fix: names ? `add ${namespace} to the reflection-allowed-namespaces of its source ${source.label}` : `label Namespace ${namespace} to match the reflection-allowed-namespaces-selector of its source ${source.label}`,
    };
}
/** Every SecretDef a resource contributes. */
function secretDefsOf(r) {
    if (r.namespace === undefined && r.kind !== 'ClusterExternalSecret')
        return [];
    switch (r.kind) {
        case 'Secret': {
            if (r.apiVersion !== 'v1')
                return [];
            const def = secretFromV1(r);
            return [def, ...replicas(def, r)];
        }
        case 'SealedSecret': {
            if (!r.apiVersion.startsWith('bitnami.com/'))
                return [];
            const def = sealedSecret(r);
            return [def, ...replicas(def, r)];
        }
        case 'ExternalSecret': {
            if (!r.apiVersion.startsWith('external-secrets.io/'))
                return [];
            const def = externalSecret(r);
            return def ? [def, ...replicas(def, r)] : [];
        }
        case 'ClusterExternalSecret':
            return r.apiVersion.startsWith('external-secrets.io/') ? clusterExternalSecret(r) : [];
        default:
            return [];
    }
}
function existingSecretDef(e) {
    const def = {
        name: e.name,
        namespace: e.namespace,
        type: DOCKERCONFIGJSON,
        origin: 'existing-secrets',
        content: e.registries.length ? 'registries' : 'unknown',
        label: `existing secret ${e.namespace}/${e.name} (configuration)`,
    };
    if (e.registries.length)
        def.registries = e.registries;
    if (e.namespace === '*')
        def.matches = () => true;
    return def;
}

;// CONCATENATED MODULE: ./build/model/graph.js





class Graph {
    files;
    defaultNamespace;
    resources = [];
    podSpecs = [];
    namespaces = new Set();
    /** The labels of the namespaces that Namespace objects declare (the last declaration's). */
    namespaceLabels = new Map();
    serviceAccounts = new Map();
    serviceAccountsByName = new Map();
    secrets = new Map();
    /** Secrets that exist in namespaces decided by a predicate (replication, `*` configuration). */
    wildcardSecrets = new Map();
    /** Every SecretDef with a fixed namespace, by name (for "it exists in another namespace"). */
    secretsByName = new Map();
    secretDefs = [];
    constructor(files, defaultNamespace) {
        this.files = files;
        this.defaultNamespace = defaultNamespace;
    }
    addResource(r) {
        this.resources.push(r);
        if (r.kind === 'Namespace' && r.apiVersion === 'v1') {
            this.namespaces.add(r.name);
            // The API server adds kubernetes.io/metadata.name to every Namespace (NamespaceDefaultLabelName).
            this.namespaceLabels.set(r.name, { ...stringEntries(get(r.obj, ['metadata', 'labels'])), 'kubernetes.io/metadata.name': r.name });
        }
        if (r.namespace !== undefined)
            this.namespaces.add(r.namespace);
        // An object named by generateName gets a name no manifest can know: nothing refers to it.
        if (r.kind === 'ServiceAccount' && r.apiVersion === 'v1' && r.namespace !== undefined && !r.generated) {
            const sa = { name: r.name, namespace: r.namespace, origin: 'manifest', resource: r, imagePullSecrets: get(r.obj, ['imagePullSecrets']) };
            const refusal = nonStringLabels(r.obj) ?? invalidMetadata(r.obj, 'ServiceAccount');
            if (refusal)
                sa.rejected = { detail: refusalDetail(refusal, 'ServiceAccount'), path: refusal.path };
            this.addServiceAccount(sa);
        }
        for (const def of secretDefsOf(r))
            if (!(r.generated && def.name === r.name))
                this.addSecret(def);
        const pod = podSpecOf(r);
        if (pod)
            this.podSpecs.push(pod);
    }
    addServiceAccount(sa) {
        push(this.serviceAccounts, `${sa.namespace}/${sa.name}`, sa);
        push(this.serviceAccountsByName, sa.name, sa);
    }
    addSecret(def) {
        this.secretDefs.push(def);
        if (def.namespace === '*' || def.matches) {
            push(this.wildcardSecrets, def.name, def);
            return;
        }
        push(this.secrets, `${def.namespace}/${def.name}`, def);
        push(this.secretsByName, def.name, def);
    }
    /**
     * The ServiceAccount a pod in `namespace` gets for `name`; `default` always exists. Of several
     * declarations, the last one read: `kubectl apply -f` applies them in turn and leaves the last.
     */
    serviceAccount(namespace, name) {
        // A declaration the API server refuses never exists (the namespace's own default still does).
        const found = this.serviceAccounts.get(`${namespace}/${name}`)?.filter((s) => !s.rejected);
        if (found?.length)
            return found.findLast((s) => s.origin === 'manifest') ?? found[0];
        if (name === 'default')
            return { name, namespace, origin: 'implicit', imagePullSecrets: undefined };
        return undefined;
    }
    /** The last declaration of a ServiceAccount that the API server refuses, if any. */
    refusedServiceAccount(namespace, name) {
        const found = this.serviceAccounts.get(`${namespace}/${name}`)?.findLast((s) => s.rejected !== undefined && s.resource !== undefined);
        return found;
    }
    /** ServiceAccounts the manifests declare more than once, each in the order read. */
    duplicateServiceAccounts() {
        return declaredTwice(this.serviceAccounts, (s) => s.origin === 'manifest');
    }
    /** v1 Secrets declared more than once under one namespace and name, in reading order. */
    duplicateSecrets() {
        return declaredTwice(this.secrets, (d) => d.origin === 'Secret');
    }
    serviceAccountsNamed(name) {
        return this.serviceAccountsByName.get(name) ?? [];
    }
    /** Secrets named `name` that exist in `namespace` (declared, produced, replicated or configured). */
    secretsIn(namespace, name) {
        const direct = this.secrets.get(`${namespace}/${name}`) ?? [];
        // A Secret of that name already there is left alone: reflector's auto-reflection skips it,
        // kubernetes-replicator keeps its type (a copy never replaces it).
        const wild = (this.wildcardSecrets.get(name) ?? []).filter((d) => (d.matches ? d.matches(namespace, this.namespaceLabels.get(namespace)) : true) && !(direct.length && d.reach !== undefined));
        return wild.length ? [...direct, ...wild] : direct;
    }
    /** The Secrets named `name` that ClusterExternalSecrets make in the namespaces their selectors pick. */
    selectedSecretsNamed(name) {
        return (this.wildcardSecrets.get(name) ?? []).filter((d) => d.origin === 'ClusterExternalSecret');
    }
    /** Copies of a Secret named `name` into several namespaces (reflector, kubernetes-replicator). */
    replicasNamed(name) {
        return (this.wildcardSecrets.get(name) ?? []).filter((d) => d.reach !== undefined);
    }
    /** Secrets named `name` in namespaces other than `namespace`. */
    secretsElsewhere(namespace, name, limit = Infinity) {
        const out = [];
        for (const d of this.secretsByName.get(name) ?? []) {
            if (out.length >= limit)
                break;
            if (d.namespace !== namespace)
                out.push(d);
        }
        return out;
    }
    /** The secrets named `name` in one namespace each (declared, produced, or replicated by name). */
    secretsNamed(name) {
        return this.secretsByName.get(name) ?? [];
    }
    /** The namespaces that hold a secret named `name` (declared or produced), each once, in reading order. */
    namespacesWith(name) {
        return [...new Set(this.secretsNamed(name).map((d) => d.namespace))];
    }
    /** Resolves pull-based replication (`replicate-from`, `reflects`): the copy takes the source's content. */
    linkReplicationSources() {
        for (const def of this.secretDefs) {
            if (def.origin !== 'Secret' || !def.resource)
                continue;
            const pull = replicationSource(def.resource);
            if (!pull)
                continue;
            const { tool, from } = pull;
            if (tool === 'replicator' && !from.includes('/')) {
                def.notCopied = `kubernetes-replicator copies nothing into it: replicate-from must be <namespace>/<name>, not "${from}"`;
                def.notCopiedFix = `write its replicate-from as <namespace>/<name>`;
                continue;
            }
            const [ns, name] = from.includes('/') ? from.split('/', 2) : [def.namespace, from];
            const source = this.secrets.get(`${ns}/${name}`)?.[0];
            if (source?.rejected) {
                // The API server never created the source: there is nothing to copy.
                def.notCopied = `${tool === 'replicator' ? 'kubernetes-replicator' : 'reflector'} copies nothing into it: its source Secret ${ns}/${name} never exists (the API server refuses it)`;
                def.notCopiedFix = `mend its source Secret ${ns}/${name}, which the API server refuses`;
                continue;
            }
            const refused = source && replicationRefused(tool, source, def.namespace, this.namespaceLabels.get(def.namespace));
            if (refused) {
                def.notCopied = refused.why;
                def.notCopiedFix = refused.fix;
                continue;
            }
            def.source = source;
            def.copiedBy = tool === 'replicator' ? 'kubernetes-replicator' : 'reflector';
            // The replicator copies the data only (kubernetes-replicator's ReplicateDataFrom; reflector
            // patches data): the copy keeps the type it was declared with (immutable, Opaque when it
            // names none). And the API server validated the copy as declared: a docker-config copy
            // without its data key (no placeholder such as e30K) was never created, so it keeps its own
            // data and the resolver reports it.
            const wanted = KEY_FOR_TYPE[def.type];
            if (wanted !== undefined && !(def.dataKeys ?? []).includes(wanted))
                continue;
            // Nor was one whose placeholder the API server refuses (not base64, empty, not a JSON object).
            if (wanted !== undefined && placeholderRefused(def, wanted))
                continue;
            if (source) {
                def.content = source.content;
                def.data = source.data;
                def.dataKeys = source.dataKeys;
                def.registries = source.registries;
            }
            else {
                def.content = 'unknown';
            }
        }
    }
}
/** Whether ValidateSecret refuses a docker-config Secret's own value of `key` (a copy's placeholder). */
function placeholderRefused(def, key) {
    const value = def.data?.get(key);
    if (!value)
        return false;
    if (value.value === undefined || value.value.trim() === '')
        return true;
    const decoded = key === '.dockerconfigjson' ? dockerconfig_decodeDockerConfigJson(value.value) : dockerconfig_decodeDockerCfg(value.value);
    return !decoded.ok && decoded.apiRejects;
}
/** The lists of `byKey` with more than one object that a manifest declares (`declared`), in order. */
function declaredTwice(byKey, declared) {
    const out = [];
    for (const list of byKey.values()) {
        const found = list.filter((t) => t.resource !== undefined && declared(t));
        if (found.length > 1)
            out.push(found);
    }
    return out;
}
/** Adds `value` to the list of `key`, made on first use. */
function push(map, key, value) {
    const list = map.get(key);
    if (list)
        list.push(value);
    else
        map.set(key, [value]);
}
/** Adds what the configuration says exists outside the manifests. */
function addConfiguredObjects(graph, options) {
    for (const ns of options.existingNamespaces)
        graph.namespaces.add(ns);
    for (const sa of options.existingServiceAccounts) {
        graph.addServiceAccount({ name: sa.name, namespace: sa.namespace, origin: 'existing-service-accounts', imagePullSecrets: undefined });
    }
    for (const s of options.existingSecrets)
        graph.addSecret(existingSecretDef(s));
}

;// CONCATENATED MODULE: ./build/model/reference.js
// Image references: a port of github.com/distribution/reference v0.6.0 (regexp.go, reference.go,
// normalize.go), go-digest v1.0.0's digest validation and Kubernetes' pkg/util/parsers, so an image
// string parses, normalises and fails exactly as it does in the kubelet.
/** Upstream error values by their Go identifier, so tables that name the constant can be compared. */
const REFERENCE_ERRORS = {
    ErrReferenceInvalidFormat: 'invalid reference format',
    ErrTagInvalidFormat: 'invalid tag format',
    ErrDigestInvalidFormat: 'invalid digest format',
    ErrNameContainsUppercase: 'repository name must be lowercase',
    ErrNameEmpty: 'repository name must have at least one component',
    ErrNameTooLong: 'repository name must not be more than 255 characters',
    ErrNameNotCanonical: 'repository name must be canonical',
    'digest.ErrDigestInvalidFormat': 'invalid checksum digest format',
    'digest.ErrDigestInvalidLength': 'invalid checksum digest length',
    'digest.ErrDigestUnsupported': 'unsupported digest algorithm',
};
const KUBELET_DIGEST_ALGORITHMS = new Map([
    ['sha256', 64],
    ['sha384', 96],
    ['sha512', 128],
]);
// v0.6.0 excludes the domain from this limit (commit aaca75e).
const REPOSITORY_NAME_TOTAL_LENGTH_MAX = 255;
const DEFAULT_DOMAIN = 'docker.io';
const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
const OFFICIAL_REPO_PREFIX = 'library/';
const LOCALHOST = 'localhost';
const DEFAULT_TAG = 'latest';
// Built from the same fragments as regexp.go so the two can be compared line by line. Go's RE2
// returns the submatches a backtracking engine would pick, so JS captures agree with Go's.
const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const optionalPort = '(?::[0-9]+)?';
const tagPat = '[\\w][\\w.-]{0,127}';
const digestPat = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}';
const identifierPat = '([a-f0-9]{64})';
const ipv6address = '\\[(?:[a-fA-F0-9:]+)\\]';
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
const hostPat = `(?:${domainName}|${ipv6address})`;
const domainAndPort = hostPat + optionalPort;
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const remoteName = `${pathComponent}(?:/${pathComponent})*`;
const namePat = `(?:${domainAndPort}/)?${remoteName}`;
/** `^domain[:port]$` (upstream's DomainRegexp, anchored as in TestDomainRegexp). */
const domainAndPortRegexp = new RegExp(`^${domainAndPort}$`);
/** Captures 1 = domain (undefined when absent), 2 = remote name. */
const anchoredNameRegexp = new RegExp(`^(?:(${domainAndPort})/)?(${remoteName})$`);
/** Captures 1 = name, 2 = tag, 3 = digest (undefined when absent). */
const referenceRegexp = new RegExp(`^(${namePat})(?::(${tagPat}))?(?:@(${digestPat}))?$`);
const anchoredIdentifierRegexp = new RegExp(`^${identifierPat}$`);
// go-digest's DigestRegexpAnchored: decides "unsupported" versus "invalid format" for unknown algorithms.
const goDigestAnchoredRegexp = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const lowerHexRegexp = /^[a-f0-9]*$/;
const nonAsciiRegexp = /[\u0080-\uffff]/;
/**
 * Go's strings.ToLower maps each rune by its simple lower-case mapping; JS's full mapping differs
 * only for the few runes whose lower case is longer (İ → i̇), which Go maps to one rune.
 */
function goToLower(s) {
    if (!nonAsciiRegexp.test(s))
        return s.toLowerCase();
    let out = '';
    for (const ch of s) {
        const lower = ch.toLowerCase();
        if (ch === '\u0130')
            out += 'i';
        else
            out += [...lower].length === 1 ? lower : ch;
    }
    return out;
}
function makeRef(domain, path, tag, digest) {
    const ref = { domain, path, name: domain === '' ? path : `${domain}/${path}` };
    if (tag !== undefined && tag !== '')
        ref.tag = tag;
    if (digest !== undefined && digest !== '')
        ref.digest = digest;
    return ref;
}
/** go-digest's Digest.Validate: returns an error message, or undefined when the digest is usable. */
function validateDigest(d, algorithms) {
    const i = d.indexOf(':');
    if (i <= 0 || i + 1 === d.length)
        return REFERENCE_ERRORS['digest.ErrDigestInvalidFormat'];
    const hexLength = algorithms.get(d.slice(0, i));
    if (hexLength === undefined) {
        return goDigestAnchoredRegexp.test(d) ? REFERENCE_ERRORS['digest.ErrDigestUnsupported'] : REFERENCE_ERRORS['digest.ErrDigestInvalidFormat'];
    }
    const encoded = d.slice(i + 1);
    if (encoded.length !== hexLength)
        return REFERENCE_ERRORS['digest.ErrDigestInvalidLength'];
    return lowerHexRegexp.test(encoded) ? undefined : REFERENCE_ERRORS['digest.ErrDigestInvalidFormat'];
}
/** reference.Parse: the grammar only, with no Docker Hub normalisation ("test.com:5000" is a tag). */
function parse(s, digestAlgorithms = KUBELET_DIGEST_ALGORITHMS) {
    if (s === '')
        return { ok: false, error: REFERENCE_ERRORS.ErrNameEmpty };
    const matches = referenceRegexp.exec(s);
    if (matches === null) {
        const lower = goToLower(s);
        if (lower !== s && referenceRegexp.test(lower))
            return { ok: false, error: REFERENCE_ERRORS.ErrNameContainsUppercase };
        return { ok: false, error: REFERENCE_ERRORS.ErrReferenceInvalidFormat };
    }
    const name = matches[1];
    let domain = '';
    let path = name;
    const nameMatch = anchoredNameRegexp.exec(name);
    if (nameMatch !== null) {
        domain = nameMatch[1] ?? '';
        path = nameMatch[2];
    }
    if (path.length > REPOSITORY_NAME_TOTAL_LENGTH_MAX)
        return { ok: false, error: REFERENCE_ERRORS.ErrNameTooLong };
    const digest = matches[3];
    if (digest !== undefined) {
        const digestError = validateDigest(digest, digestAlgorithms);
        if (digestError !== undefined)
            return { ok: false, error: digestError };
    }
    return { ok: true, ref: makeRef(domain, path, matches[2], digest) };
}
/** splitDockerDomain: decides whether the first component is a registry or a Docker Hub namespace. */
function splitDockerDomain(name) {
    const slash = name.indexOf('/');
    if (slash < 0)
        return [DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX + name];
    const maybeDomain = name.slice(0, slash);
    const maybeRemainder = name.slice(slash + 1);
    let domain;
    let remainder;
    if (maybeDomain === LOCALHOST) {
        ;
        [domain, remainder] = [maybeDomain, maybeRemainder];
    }
    else if (maybeDomain === LEGACY_DEFAULT_DOMAIN) {
        ;
        [domain, remainder] = [DEFAULT_DOMAIN, maybeRemainder];
    }
    else if (maybeDomain.includes('.') || maybeDomain.includes(':')) {
        ;
        [domain, remainder] = [maybeDomain, maybeRemainder];
    }
    else if (goToLower(maybeDomain) !== maybeDomain) {
        // Namespaces cannot be upper case, so an upper-case first component must be a host (v0.5.0+).
        ;
        [domain, remainder] = [maybeDomain, maybeRemainder];
    }
    else {
        ;
        [domain, remainder] = [DEFAULT_DOMAIN, name];
    }
    if (domain === DEFAULT_DOMAIN && !remainder.includes('/'))
        remainder = OFFICIAL_REPO_PREFIX + remainder;
    return [domain, remainder];
}
/** reference.ParseNormalizedNamed: what the kubelet uses; `nginx` → docker.io/library/nginx. */
function parseNormalizedNamed(s, digestAlgorithms = KUBELET_DIGEST_ALGORITHMS) {
    if (anchoredIdentifierRegexp.test(s)) {
        return { ok: false, error: `invalid repository name (${s}), cannot specify 64-byte hexadecimal strings` };
    }
    const [domain, remainder] = splitDockerDomain(s);
    const colon = remainder.indexOf(':');
    const remote = colon > -1 ? remainder.slice(0, colon) : remainder;
    if (goToLower(remote) !== remote) {
        return { ok: false, error: `invalid reference format: repository name (${remote}) must be lowercase` };
    }
    const result = parse(`${domain}/${remainder}`, digestAlgorithms);
    if (!result.ok)
        return result;
    if (result.ref.name === '')
        return { ok: false, error: `reference ${referenceString(result.ref)} has no name` };
    return result;
}
/** reference.ParseAnyReference: a bare 64-hex identifier or a full digest yields a digest-only reference. */
function parseAnyReference(s, digestAlgorithms = KUBELET_DIGEST_ALGORITHMS) {
    if (anchoredIdentifierRegexp.test(s))
        return { ok: true, ref: { domain: '', path: '', name: '', digest: `sha256:${s}` } };
    if (validateDigest(s, digestAlgorithms) === undefined)
        return { ok: true, ref: { domain: '', path: '', name: '', digest: s } };
    return parseNormalizedNamed(s, digestAlgorithms);
}
/** reference.WithName: a name alone; a tag or digest is a format error. */
function withName(s) {
    const match = anchoredNameRegexp.exec(s);
    if (match === null)
        return { ok: false, error: REFERENCE_ERRORS.ErrReferenceInvalidFormat };
    if (match[2].length > REPOSITORY_NAME_TOTAL_LENGTH_MAX)
        return { ok: false, error: REFERENCE_ERRORS.ErrNameTooLong };
    return { ok: true, ref: makeRef(match[1] ?? '', match[2]) };
}
/**
 * reference.ParseDockerRef: normalised, with a tag dropped when a digest is present and `latest`
 * added when neither is; `canonical` is its string form.
 */
function parseDockerRef(s, digestAlgorithms = KUBELET_DIGEST_ALGORITHMS) {
    const named = parseNormalizedNamed(s, digestAlgorithms);
    if (!named.ok)
        return named;
    let ref = named.ref;
    if (ref.tag !== undefined && ref.digest !== undefined) {
        const nameOnly = withName(ref.name);
        if (!nameOnly.ok)
            return nameOnly;
        ref = makeRef(nameOnly.ref.domain, nameOnly.ref.path, undefined, ref.digest);
    }
    else if (ref.tag === undefined && ref.digest === undefined) {
        ref = makeRef(ref.domain, ref.path, DEFAULT_TAG);
    }
    return { ok: true, ref, canonical: referenceString(ref) };
}
/**
 * k8s parsers.ParseImageName: ParseNormalizedNamed, then tag `latest` only when the image has
 * neither a tag nor a digest. `ref.name` is the repository the kubelet looks credentials up for.
 */
function parseImageName(s, digestAlgorithms = KUBELET_DIGEST_ALGORITHMS) {
    const named = parseNormalizedNamed(s, digestAlgorithms);
    if (!named.ok)
        return { ok: false, error: `couldn't parse image name ${JSON.stringify(s)}: ${named.error}` };
    const { ref } = named;
    if (ref.tag === undefined && ref.digest === undefined)
        return { ok: true, ref: makeRef(ref.domain, ref.path, DEFAULT_TAG) };
    return named;
}
/** The reference's String(): name[:tag][@digest], or the bare digest when there is no name. */
function referenceString(ref) {
    if (ref.name === '')
        return ref.digest ?? '';
    let s = ref.name;
    if (ref.tag !== undefined)
        s += `:${ref.tag}`;
    if (ref.digest !== undefined)
        s += `@${ref.digest}`;
    return s;
}
/** reference.FamiliarName: docker.io/ and a single-level library/ dropped, as the docker CLI shows it. */
function familiarName(ref) {
    let { domain, path } = ref;
    if (domain === DEFAULT_DOMAIN) {
        domain = '';
        if (path.startsWith(OFFICIAL_REPO_PREFIX)) {
            const remainder = path.slice(OFFICIAL_REPO_PREFIX.length);
            if (!remainder.includes('/'))
                path = remainder;
        }
    }
    return domain === '' ? path : `${domain}/${path}`;
}
/** reference.FamiliarString: the familiar name with the tag and digest kept. */
function familiarString(ref) {
    if (ref.name === '')
        return referenceString(ref);
    return referenceString({ ...ref, name: familiarName(ref) });
}
/**
 * The API server's default imagePullPolicy (SetDefaults_Container): Always iff ParseImageName's
 * tag is `latest`, so `:latest@sha256:…` is Always and an unparsable image is IfNotPresent.
 */
function defaultPullPolicy(image) {
    return defaultPullPolicyOf(parseNormalizedNamed(image));
}
/** defaultPullPolicy from the image's parseNormalizedNamed result (ParseImageName adds `latest` only when there is neither tag nor digest). */
function defaultPullPolicyOf(named) {
    if (!named.ok)
        return 'IfNotPresent';
    const { tag, digest } = named.ref;
    return tag === DEFAULT_TAG || (tag === undefined && digest === undefined) ? 'Always' : 'IfNotPresent';
}

;// CONCATENATED MODULE: ./build/resolve/secrets.js
// Whether the kubelet can use a secret (secrets.go MakeDockerKeyring): type, key, content.



const cache = new WeakMap();
function evaluateSecret(def) {
    let ev = cache.get(def);
    if (!ev) {
        ev = evaluate(def);
        // A copy its tool refuses to fill keeps what it was declared with: why first, and the fix is the
        // copy's. (Not when the API server refuses the copy itself: then there is nothing to fill.)
        if (!ev.usable && def.notCopied && !ev.refused) {
            // (The advice a detail ends with, after `; `, is about mending the content, which the copy would replace.)
            const what = def.notCopiedFix ? ev.detail.split('; ')[0] : ev.detail;
            ev = { ...ev, detail: `${def.notCopied}, so it keeps what it is declared with: ${what}`, ...(def.notCopiedFix ? { remedy: def.notCopiedFix } : {}) };
        }
        cache.set(def, ev);
    }
    return ev;
}
function typeProblem(def) {
    const typePath = def.typePath ?? def.namePath ?? ['metadata', 'name'];
    if (!DOCKER_TYPES.has(def.type)) {
        const holds = (def.dataKeys ?? []).find((k) => k === '.dockerconfigjson' || k === '.dockercfg');
        const hint = holds ? ` even though it holds a ${holds} key` : '';
        return { usable: false, problem: 'wrong-type', fatal: false, detail: `its type is ${def.type}${hint}, and the kubelet only uses secrets of type ${DOCKERCONFIGJSON} or ${DOCKERCFG}`, path: typePath };
    }
    const wanted = KEY_FOR_TYPE[def.type];
    const keys = def.dataKeys;
    if (keys && !keys.includes(wanted)) {
        const other = def.type === DOCKERCONFIGJSON ? '.dockercfg' : '.dockerconfigjson';
        if (keys.includes(other)) {
            // ValidateSecret requires the type's key: a Secret whose keys are all known never exists.
            const refused = def.content === 'known' || def.keysExactAt !== undefined;
            return { usable: false, problem: 'wrong-type', fatal: false, detail: `its type is ${def.type} but its data key is ${other}; the type needs the key ${wanted}`, path: typePath, ...(refused ? { refused } : {}) };
        }
        if (def.content === 'known')
            return { usable: false, problem: 'malformed', fatal: false, detail: missingKey(def, wanted), path: ['data'], refused: true };
        if (def.keysExactAt === undefined)
            return undefined;
        // The Secret it makes holds only these keys: the API server rejects it, so it never exists.
        const holds = keys.length ? `only ${keys.join(', ')}` : 'no key';
        return {
            usable: false,
            problem: 'malformed',
            fatal: false,
            detail: `the Secret it makes would hold ${holds} and no ${wanted}, which its type ${def.type} requires, so the API server rejects it and it never exists`,
            path: def.keysExactAt,
            refused: true,
        };
    }
    return undefined;
}
/** The secret's type requires the data key `wanted`, which it lacks. */
function missingKey(def, wanted) {
    // A replica that a replicator would fill must still pass validation when it is created.
    const replica = def.resource !== undefined && replicatesFrom(def.resource) !== undefined;
    const hint = replica ? ` (the API server rejects it, so there is nothing to replicate into; give the copy a placeholder such as ${wanted}: e30K, which the replicator overwrites)` : '';
    return `it has no ${wanted} key, which its type ${def.type} requires${hint}`;
}
/** For a copy that kubernetes-replicator or reflector would fill (replicate-from, reflects): the placeholder to give it so that it is created at all. */
function placeholderRemedy(def, wanted) {
    if (def.resource === undefined || replicatesFrom(def.resource) === undefined)
        return {};
    return { remedy: `give the copy a placeholder the API server accepts, such as ${wanted}: e30K ({}), which the replication overwrites` };
}
function evaluate(def) {
    // An object the API server cannot decode, or refuses, never exists: the pod pulls with its other secrets.
    if (def.rejected) {
        return { usable: false, problem: 'malformed', fatal: false, detail: def.rejected.detail, path: def.rejected.path, remedy: 'correct that field so that the API server accepts the Secret', refused: true };
    }
    const typeIssue = typeProblem(def);
    if (typeIssue)
        return typeIssue;
    if (def.content === 'unknown')
        return { usable: true, credentials: [], keys: [], pullKeys: [], unknownContent: true };
    if (def.content === 'registries') {
        // Configured as holding credentials for these registries: not empty ones.
        const creds = (def.registries ?? []).map((rawKey) => ({ rawKey, key: normalizeKey(rawKey), entry: { username: '', password: '', email: '', fromAuth: false, fields: [], tokens: [] } }));
        const keys = uniqueKeys(creds);
        return { usable: true, credentials: creds, keys, pullKeys: keys, unknownContent: false };
    }
    const wanted = KEY_FOR_TYPE[def.type];
    const value = def.data?.get(wanted);
    if (!value) {
        return { usable: false, problem: 'malformed', fatal: false, detail: missingKey(def, wanted), path: ['data'], refused: true };
    }
    if (value.value === undefined) {
        return { usable: false, problem: 'malformed', fatal: false, detail: value.rejected ?? `its ${wanted} value is not valid base64 (the API server rejects the Secret)`, path: value.path, refused: true, ...placeholderRemedy(def, wanted) };
    }
    if (value.value.trim() === '') {
        return { usable: false, problem: 'malformed', fatal: false, detail: `its ${wanted} value is empty, which is not JSON, so the API server rejects the Secret`, path: value.path, refused: true, ...placeholderRemedy(def, wanted) };
    }
    const decoded = def.type === DOCKERCONFIGJSON ? dockerconfig_decodeDockerConfigJson(value.value) : dockerconfig_decodeDockerCfg(value.value);
    if (!decoded.ok) {
        // ValidateSecret decodes the value into a map: what fails there is never created (the pod
        // pulls with its other secrets); what fails only in the kubelet's decoder fails the keyring.
        const detail = decoded.apiRejects
            ? `its ${wanted} is not a JSON object (${decoded.error}), so the API server rejects the Secret and it never exists`
            : `its ${wanted} cannot be decoded: ${decoded.error}`;
        return { usable: false, problem: 'malformed', fatal: !decoded.apiRejects, detail, path: value.path, ...(decoded.apiRejects ? { refused: true, ...placeholderRemedy(def, wanted) } : {}) };
    }
    const stores = decoded.credentialStores?.join(' and ');
    if (decoded.noAuthsWrapper) {
        return {
            usable: false,
            problem: 'malformed',
            fatal: false,
            detail: stores
                ? `its .dockerconfigjson has no "auths" object, only ${stores} (a workstation's Docker config: the docker CLI runs those, the kubelet never does), so the kubelet reads no credentials from it; put the registry's credentials under {"auths": {…}}`
                : `its .dockerconfigjson has no "auths" object (a legacy .dockercfg map?), so the kubelet reads no credentials from it; wrap the entries in {"auths": {…}}`,
            path: value.path,
        };
    }
    const creds = decoded.entries.map(([rawKey, entry]) => ({ rawKey, key: normalizeKey(rawKey), entry }));
    if (def.type === DOCKERCFG && creds.length === 1 && creds[0].rawKey.toLowerCase() === 'auths') {
        return {
            usable: false,
            problem: 'malformed',
            fatal: false,
            detail: 'its .dockercfg holds a .dockerconfigjson document ({"auths": …}), which the legacy format reads as one registry named "auths"; use type kubernetes.io/dockerconfigjson with key .dockerconfigjson',
            path: value.path,
        };
    }
    if (creds.length === 0) {
        return { usable: false, problem: 'malformed', fatal: false, detail: `its ${wanted} holds no registry entries`, path: value.path };
    }
    if (creds.every((c) => isEmptyCredential(c.entry))) {
        // The kubelet pulls with the empty credential it finds and never falls back to an anonymous
        // pull, so a private registry refuses it.
        const names = creds.map((c) => shownKey(c.rawKey)).join(', ');
        const tokensOnly = creds.some((c) => c.entry.tokens.length > 0);
        const why = stores
            ? ` (a workstation's Docker config: its ${stores} keeps them on that machine, out of the kubelet's reach)`
            : tokensOnly
                ? ' (an identitytoken or registrytoken is read by the docker CLI, never by the kubelet; put a username and password, such as the token with its user name, in the entry)'
                : '';
        return {
            usable: false,
            problem: 'malformed',
            fatal: false,
            detail: `its ${wanted} lists ${names} without any credentials${why}, so the kubelet pulls with empty ones, which a private registry refuses`,
            path: value.path,
            credentials: creds,
            keys: uniqueKeys(creds),
        };
    }
    const sending = creds.filter((c) => !isEmptyCredential(c.entry));
    const pullKeys = uniqueKeys(sending);
    const ev = { usable: true, credentials: creds, keys: uniqueKeys(creds), pullKeys, unknownContent: false };
    const refused = refusedKeysOf(sending);
    if (refused)
        ev.refusedKeys = refused;
    return ev;
}
/** The keys whose every credential ends a username or password with a line break, and why the registry refuses them. */
function refusedKeysOf(sending) {
    const broken = new Map();
    const good = new Set();
    for (const c of sending) {
        if (c.key === undefined)
            continue;
        const why = lineBreakAtEnd(c.entry);
        if (why === undefined)
            good.add(c.key);
        else if (!broken.has(c.key))
            broken.set(c.key, why);
    }
    for (const key of good)
        broken.delete(key);
    return broken.size ? broken : undefined;
}
function lineBreakAtEnd(entry) {
    const field = /[\r\n]$/.test(entry.password) ? 'password' : /[\r\n]$/.test(entry.username) ? 'username' : undefined;
    if (!field)
        return undefined;
    const made = entry.fromAuth ? ' (its auth is base64 of "user:password" and a line break, as echo user:password | base64 makes it)' : '';
    return `its ${field} ends with a line break${made}, which the registry takes as part of the ${field} and refuses`;
}
/**
 * An entry with neither a username nor a password: the kubelet sends an empty credential. An
 * identitytoken or registrytoken does not count: the kubelet never reads them (SEMANTICS §3).
 */
function isEmptyCredential(entry) {
    return entry.username === '' && entry.password === '';
}
function uniqueKeys(creds) {
    return [...new Set(creds.map((c) => c.key).filter((k) => k !== undefined))];
}
/** Is this a docker-config secret at all (for unused-pull-secret and inference)? */
function isPullSecretType(def) {
    return DOCKER_TYPES.has(def.type);
}

;// CONCATENATED MODULE: ./build/resolve/resolve.js





/**
 * An entry the API server cannot decode into a {name: …} reference (a string, a number, a list, or
 * a name that is a number or a boolean), or an `imagePullSecrets` that is not a list: the whole
 * object is rejected (kubectl: "cannot unmarshal string into Go struct field …"). A null entry, or
 * a null name, decodes to an empty name instead.
 */
function apiRejects(ref) {
    return ref.status === 'not-list' || ref.status === 'name-not-string' || (ref.status === 'not-object' && ref.entry !== null);
}
/** An entry that names no Secret: an empty or null name (the kubelet skips it), or one the API server rejects. */
function namesNoSecret(ref) {
    return ref.status === 'empty-name' || ref.status === 'name-not-string' || ref.status === 'not-object' || ref.status === 'not-list';
}
/** The empty list every ImageFact starts with (most stay empty: one array fewer each). */
const NONE = Object.freeze([]);
/** The reason of an image checked only because its pod lists pull secrets (SPEC §4.5). */
const EXPLICIT_LIST_REASON = 'its pod lists pull secrets explicitly';
/** Registries that serve public images only: no pull secret can matter for them. */
const PUBLIC_ONLY = ['registry.k8s.io', 'k8s.gcr.io', 'public.ecr.aws', 'mcr.microsoft.com']
    .map((p) => normalizeKey(p))
    .filter((k) => k !== undefined);
/**
 * Registries that require authentication by default (SPEC §4: private ECR always; ACR and Artifact
 * Registry unless a repository allows anonymous pulls): private ECR in every partition (FIPS
 * endpoints, China), ACR in the public, US Government and China clouds.
 */
const AUTH_ONLY = ['*.dkr.ecr.*.amazonaws.com', '*.dkr.ecr-fips.*.amazonaws.com', '*.dkr.ecr.*.amazonaws.com.cn', '*.azurecr.io', '*.azurecr.us', '*.azurecr.cn', '*-docker.pkg.dev']
    .map((p) => normalizeKey(p))
    .filter((k) => k !== undefined);
function normalizePatterns(list) {
    return list.map((p) => normalizeKey(p)).filter((k) => k !== undefined);
}
/** The repository with its host (before the first `/`) in lower case. */
function foldHost(repository) {
    const slash = repository.indexOf('/');
    const host = slash < 0 ? repository : repository.slice(0, slash);
    return host === host.toLowerCase() ? repository : host.toLowerCase() + repository.slice(host.length);
}
function firstMatch(keys, repository) {
    return keys.find((k) => keyCovers(k, repository));
}
function refsOf(holder, owner, list, listPath) {
    if (list === undefined || list === null)
        return [];
    if (!Array.isArray(list)) {
        // Not a list: the API server rejects the object. One reference stands for the field.
        return [{ holder, owner, entryPath: listPath, index: 0, name: '', entry: list, extraFields: [], status: 'not-list', found: [], elsewhere: [] }];
    }
    return list.map((entry, index) => {
        const name = isObj(entry) ? (resources_str(entry.name) ?? '') : '';
        const status = !isObj(entry) ? 'not-object' : entry.name !== undefined && entry.name !== null && typeof entry.name !== 'string' ? 'name-not-string' : name === '' ? 'empty-name' : 'ok';
        const extraFields = isObj(entry) ? Object.keys(entry).filter((k) => k !== 'name') : [];
        return {
            holder,
            owner,
            entryPath: [...listPath, index],
            index,
            name,
            entry,
            extraFields,
            status,
            found: [],
            elsewhere: [],
        };
    });
}
/**
 * The objects that make a Secret of one name in one namespace, with a v1 Secret declared several
 * times counted once, as `kubectl apply -f` leaves it: each declaration applied over the one before,
 * except those the update validation refuses (ValidateSecretUpdate): another type (a Secret's type
 * cannot change), or other data once a declaration has `immutable: true` (nor can it be made
 * mutable again); and those the API server refuses outright, which are never created.
 */
function appliedSecrets(found) {
    let current;
    let declared = 0;
    for (const d of found) {
        if (d.origin !== 'Secret')
            continue;
        declared++;
        // One the API server refuses is never created: it neither locks nor replaces what is there.
        if (current === undefined || current.rejected || (!d.rejected && updateAccepted(current, d)))
            current = d;
    }
    const applied = declared < 2 ? found : found.filter((d) => d.origin !== 'Secret' || d === current);
    // The sealed-secrets controller leaves a Secret it does not own ("already exists and is not
    // managed by SealedSecret") unless the Secret asks for it (sealedsecrets.bitnami.com/managed).
    const kept = current !== undefined && !current.rejected ? current : undefined;
    if (kept === undefined || !applied.some((d) => d.origin === 'SealedSecret'))
        return applied;
    if (kept.resource?.obj && annotations(kept.resource)['sealedsecrets.bitnami.com/managed'] === 'true')
        return applied;
    return applied.filter((d) => d.origin !== 'SealedSecret');
}
/** Whether the API server accepts `next` as an update of `current` (ValidateSecretUpdate). */
function updateAccepted(current, next) {
    if (next.type !== current.type)
        return false;
    if (current.resource?.obj.immutable !== true)
        return true;
    return next.resource?.obj.immutable === true && sameData(current, next);
}
function sameData(a, b) {
    const x = a.data ?? new Map();
    const y = b.data ?? new Map();
    if (x.size !== y.size)
        return false;
    for (const [k, v] of x)
        if (!y.has(k) || y.get(k).value !== v.value)
            return false;
    return true;
}
/** How many of the secrets of a missing name in other namespaces a reference keeps. */
const ELSEWHERE_SHOWN = 5;
/** Resolves one reference in `namespace`: found, usable, or why not. */
function resolveRef(graph, ref, namespace) {
    if (ref.status !== 'ok')
        return;
    ref.found = graph.secretsIn(namespace, ref.name);
    if (ref.found.length === 0) {
        // A few, for the findings to point at: thousands of namespaces may hold one of that name.
        ref.elsewhere = graph.secretsElsewhere(namespace, ref.name, ELSEWHERE_SHOWN);
        ref.status = ref.elsewhere.length ? 'other-namespace' : 'not-found';
        return;
    }
    // With several objects producing the same name, prefer one that is usable.
    const candidates = appliedSecrets(ref.found);
    let chosen = candidates[0];
    let ev = evaluateSecret(chosen);
    for (const def of candidates) {
        const e = evaluateSecret(def);
        if (e.usable) {
            chosen = def;
            ev = e;
            break;
        }
    }
    ref.chosen = chosen;
    ref.evaluation = ev;
    if (!ev.usable)
        ref.status = ev.problem;
}
/**
 * Which keys of the pod's secrets the kubelet's keyring Lookup finds for the repository: those
 * that match it, or the `index.docker.io` fallback only when none does. Keys of entries without
 * credentials are in the keyring too (an all-empty secret among them): they use up the fallback.
 */
function keyringMatch(refs, repository) {
    const matched = refs.some((r) => r.chosen && r.evaluation && (r.evaluation.keys ?? []).some((k) => urlsMatchStr(k, repository)));
    return matched ? (k) => urlsMatchStr(k, repository) : (k) => keyCovers(k, repository);
}
/**
 * Which of the pod's secrets give the image a credential, as the kubelet's keyring Lookup finds
 * them over all the pod's secrets together: every key that matches, and the `index.docker.io`
 * fallback only when no key matched at all. A matching entry without credentials counts as a
 * match: it uses up the fallback, and the kubelet pulls with its empty credential.
 */
function coverage(refs, repository) {
    const coveredBy = [];
    let known = false;
    let unknown = false;
    const covers = keyringMatch(refs, repository);
    for (const r of refs) {
        const ev = r.evaluation;
        if (!ev?.usable || !r.chosen)
            continue;
        if (ev.unknownContent) {
            coveredBy.push(r.chosen);
            unknown = true;
        }
        else if (ev.pullKeys.some((k) => covers(k) && !ev.refusedKeys?.has(k))) {
            coveredBy.push(r.chosen);
            known = true;
        }
    }
    // The result rests on an assumption only when no secret of known content covers the image.
    return { coveredBy, assumed: unknown && !known };
}
function resolve(graph, options) {
    const patterns = {
        nodeCredentials: normalizePatterns(options.nodeCredentials),
        publicRegistries: normalizePatterns(options.publicRegistries),
        privateRegistries: normalizePatterns(options.privateRegistries),
    };
    // Keys of every pull secret of known content anywhere (and configured registries), with the
    // secrets that hold each in the order declared: an image they cover is private, because the
    // repository holds credentials for it.
    const holdersOf = new Map();
    // How a key is named in a reason: never with a piece of a password url.Parse took for the host.
    const shownAs = new Map();
    for (const def of graph.secretDefs) {
        if (!isPullSecretType(def) || def.content === 'unknown')
            continue;
        const ev = evaluateSecret(def);
        // An entry without credentials says nothing about the registry being private.
        if (ev.usable) {
            for (const k of ev.pullKeys) {
                const list = holdersOf.get(k);
                if (!list)
                    holdersOf.set(k, [def]);
                else if (list[list.length - 1] !== def)
                    list.push(def);
            }
        }
        if (ev.usable)
            for (const c of ev.credentials)
                if (c.key !== undefined && !shownAs.has(c.key))
                    shownAs.set(c.key, shownNormalizedKey(c.rawKey, c.key));
    }
    const shown = (key) => shownAs.get(key) ?? key;
    const inferenceKeys = [...holdersOf.keys()];
    /**
     * Who holds credentials for a key, for the reason of an inferred-private image: the first
     * declared (a copy's source rather than the copy), and how many more. Made once per key:
     * thousands of namespaces may each hold a secret with it, and thousands of repositories match it.
     */
    const holderText = new Map();
    const holder = (key) => {
        let text = holderText.get(key);
        if (text === undefined)
            holderText.set(key, (text = holderOf(key)));
        return text;
    };
    const holderOf = (key) => {
        // Every key of inferenceKeys has a holder.
        const defs = holdersOf.get(key);
        const first = defs.find((d) => d.origin !== 'existing-secrets' && !d.source) ?? defs.find((d) => d.origin !== 'existing-secrets') ?? defs[0];
        // A copy of a secret counted (reflector, kubernetes-replicator) is not one more.
        const all = new Set(defs);
        const others = new Set(defs.filter((d) => !d.source || !all.has(d.source)).map(labelOfHolder));
        others.delete(labelOfHolder(first));
        const more = others.size ? ` (and ${others.size} more)` : '';
        return first.origin === 'existing-secrets' ? `${labelOfHolder(first)}${more} lists` : `${labelOfHolder(first)}${more} has`;
    };
    // Keys meant for Docker Hub that the kubelet never matches (`https://index.docker.io/v1` without
    // the slash, `registry-1.docker.io`) still say the repository holds Docker Hub credentials.
    const dockerHubIntent = inferenceKeys.find(isDockerHubTrapKey);
    const classifyCache = new Map();
    const classify = (repository, explicitList, listsUnknown) => {
        const cacheKey = repository + (explicitList ? '\u0001' : '') + (listsUnknown ? '\u0002' : '');
        const cached = classifyCache.get(cacheKey);
        if (cached)
            return cached;
        let out;
        let m;
        // Host names are case-insensitive: the configured patterns (lowercased when read) and the
        // built-in ones match the image's host in any case (the kubelet's keys, below, do not).
        const folded = foldHost(repository);
        if ((m = firstMatch(patterns.nodeCredentials, folded)))
            out = { classification: 'node-credentials', reason: `node-credentials pattern ${m}` };
        else if ((m = firstMatch(patterns.publicRegistries, folded)))
            out = { classification: 'public', reason: `public-registries pattern ${m}`, byPattern: true };
        else if ((m = firstMatch(patterns.privateRegistries, folded)))
            out = { classification: 'private', reason: `private-registries pattern ${m}` };
        else if (repository.startsWith('docker.io/library/'))
            out = { classification: 'public', reason: 'Docker Hub library image (docker.io/library), taken as public: the official images there are pulled anonymously' };
        else if ((m = firstMatch(PUBLIC_ONLY, folded)))
            out = { classification: 'public', reason: `${m} serves public images only` };
        else if ((m = firstMatch(inferenceKeys, repository)))
            out = { classification: 'inferred-private', reason: `${holder(m)} credentials for ${shown(m)}` };
        else if (dockerHubIntent && repository.startsWith('docker.io/')) {
            out = { classification: 'inferred-private', reason: `${holder(dockerHubIntent)} credentials meant for Docker Hub (${shown(dockerHubIntent)})` };
        }
        // SPEC §4: a registry that always requires authentication, which no pull secret of the manifests
        // has a key for, is auth-only-registry's (the nodes' own identity usually pulls from it: EKS,
        // AKS, GKE), also in a pod that lists pull secrets for other registries.
        else if (!listsUnknown && (m = firstMatch(AUTH_ONLY, folded)))
            out = { classification: 'unclassified', reason: `registry ${m} requires authentication by default`, authOnly: true };
        else if (explicitList)
            out = { classification: 'inferred-private', reason: EXPLICIT_LIST_REASON };
        else
            out = { classification: 'unclassified', reason: 'no registry pattern or pull secret says whether it is private' };
        classifyCache.set(cacheKey, out);
        return out;
    };
    // Images repeat across pods: parse each distinct string once, and keep one string of each (the
    // image reports and reporters then hash and compare that one string, not one copy per use).
    const parsedImages = new Map();
    const parseImage = (image) => {
        let r = parsedImages.get(image);
        if (!r) {
            r = { image, result: parseNormalizedNamed(image) };
            parsedImages.set(image, r);
        }
        return r;
    };
    const saRefCache = new Map();
    const saRefs = (sa, namespace) => {
        if (!sa?.resource)
            return [];
        let refs = saRefCache.get(sa);
        if (!refs) {
            refs = refsOf(sa.resource, 'serviceAccount', sa.imagePullSecrets, ['imagePullSecrets']);
            for (const r of refs)
                resolveRef(graph, r, namespace);
            saRefCache.set(sa, refs);
        }
        return refs;
    };
    const pods = [];
    const referencedSecrets = new Set();
    for (const pod of graph.podSpecs) {
        const spec = pod.spec;
        const ns = pod.namespace;
        const san = resources_str(spec.serviceAccountName);
        const sad = resources_str(spec.serviceAccount);
        const saName = san || sad || 'default';
        const fact = {
            pod,
            saName,
            listSource: 'none',
            podRefs: refsOf(pod.resource, 'pod', spec.imagePullSecrets, [...pod.path, 'imagePullSecrets']),
            saRefs: [],
            effective: [],
            images: [],
        };
        if (san)
            fact.saPath = [...pod.path, 'serviceAccountName'];
        else if (sad)
            fact.saPath = [...pod.path, 'serviceAccount'];
        fact.sa = graph.serviceAccount(ns, saName);
        for (const r of fact.podRefs)
            resolveRef(graph, r, ns);
        fact.saRefs = saRefs(fact.sa, ns);
        // Replace-if-non-empty, never merge (admission.go): even `[{name: ""}]` blocks the SA's list.
        if (fact.podRefs.length > 0)
            fact.listSource = 'pod';
        else if (fact.saRefs.length > 0)
            fact.listSource = 'serviceAccount';
        fact.effective = fact.listSource === 'pod' ? fact.podRefs : fact.listSource === 'serviceAccount' ? fact.saRefs : [];
        for (const r of [...fact.podRefs, ...fact.saRefs])
            if (r.name)
                referencedSecrets.add(`${ns}/${r.name}`);
        for (const use of pod.images)
            fact.images.push(imageFact(fact, use, classify, parseImage));
        pods.push(fact);
    }
    // ServiceAccounts no pod uses still reference their secrets.
    for (const def of graph.resources) {
        if (def.kind !== 'ServiceAccount' || def.namespace === undefined)
            continue;
        const list = get(def.obj, ['imagePullSecrets']);
        if (Array.isArray(list))
            for (const e of list)
                if (isObj(e) && typeof e.name === 'string')
                    referencedSecrets.add(`${def.namespace}/${e.name}`);
    }
    // By repository, the list of the keys that cover it: one key's list itself (shared, never copied),
    // or the union of several, made once per set of keys.
    const holdersCache = new Map();
    const unions = new Map();
    const credentialHolders = (repository) => {
        let out = holdersCache.get(repository);
        if (!out) {
            const keys = inferenceKeys.filter((k) => keyCovers(k, repository));
            if (keys.length <= 1) {
                out = keys.length ? holdersOf.get(keys[0]) : NONE;
            }
            else {
                const id = keys.join('\n');
                out = unions.get(id);
                if (!out)
                    unions.set(id, (out = [...new Set(keys.flatMap((k) => holdersOf.get(k)))]));
            }
            holdersCache.set(repository, out);
        }
        return out;
    };
    neverPulled(pods);
    return { pods, referencedSecrets, referencedElsewhere: referencesInOtherKinds(graph), credentialHolders };
}
/**
 * Images of imagePullPolicy Never: the kubelet never pulls them, so credentials play no part
 * (status not-pulled), except on Kubernetes 1.35 and later (KubeletEnsureSecretPulledImages, beta,
 * on by default; SEMANTICS §6): an image the kubelet pulled with a pull secret is used by another
 * pod only when its credentials match, and under Never a pod without them fails
 * (ErrImageNeverPull). So a Never image that another pod of the manifests pulls with a pull
 * secret, and that this pod's credentials would not cover (no-pull-secret, not-covered), keeps
 * that status, with the other pod's image in cachedBy. (An image the nodes have preloaded is
 * exempt, which the manifests cannot tell.)
 */
function neverPulled(pods) {
    let pulled; // made when a Never image first needs it
    for (const pod of pods) {
        for (const f of pod.images) {
            if (f.pullPolicy !== 'Never' || f.status === 'invalid')
                continue;
            if ((f.status === 'no-pull-secret' || f.status === 'not-covered') && f.ref) {
                const cached = (pulled ??= pulledWithSecret(pods)).get(pulledIdentity(f));
                if (cached) {
                    f.cachedBy = cached;
                    continue;
                }
            }
            // Never pulled: as before any check.
            f.status = 'not-pulled';
            f.needsCredential = false;
            f.coveredBy = NONE;
            f.assumed = false;
            f.availableKeys = NONE;
            f.shadowedBy = NONE;
        }
    }
}
/** What the kubelet pulls: the digest when there is one, else the tag (`latest` when none is written). */
function pulledIdentity(f) {
    return `${f.ref.name}${f.ref.digest ? `@${f.ref.digest}` : `:${f.ref.tag ?? 'latest'}`}`;
}
/** The images pods pull with a pull secret that covers them (known content), by pulledIdentity: the first such use of each. */
function pulledWithSecret(pods) {
    const out = new Map();
    for (const p of pods) {
        // A PodTemplate runs no pod: it pulls nothing.
        if (p.pod.resource.kind === 'PodTemplate')
            continue;
        for (const g of p.images) {
            if (g.pullPolicy === 'Never' || g.status !== 'ok' || !g.ref || g.coveredBy.length === 0 || g.assumed)
                continue;
            const id = pulledIdentity(g);
            if (!out.has(id))
                out.set(id, g);
        }
    }
    return out;
}
/** A secret as an inferred-private image's reason names it: an existing-secrets entry as the configuration's. */
function labelOfHolder(def) {
    return def.origin === 'existing-secrets' ? `existing-secrets entry ${def.namespace}/${def.name} of the configuration` : def.label;
}
function imageFact(pod, use, classify, parseImage) {
    const distinct = typeof use.image === 'string' && use.image !== '' ? parseImage(use.image) : undefined;
    const image = distinct?.image ?? '';
    const parsed = distinct?.result;
    const fact = {
        pod,
        use,
        image,
        classification: 'unclassified',
        reason: '',
        needsCredential: false,
        pullPolicy: use.pullPolicy ?? (parsed ? defaultPullPolicyOf(parsed) : 'IfNotPresent'),
        status: 'ok',
        coveredBy: NONE,
        assumed: false,
        availableKeys: NONE,
        shadowedBy: NONE,
    };
    if (parsed === undefined) {
        // The API server rejects these (Required value / wrong type) before any kubelet sees them.
        fact.classification = 'invalid';
        fact.apiRejects = true;
        fact.invalidReason = use.image === undefined || use.image === null ? 'the image field is missing' : typeof use.image !== 'string' ? `the image is ${valueKind(use.image)}, not a string` : 'the image is empty';
        fact.status = 'invalid';
        fact.reason = fact.invalidReason;
        return fact;
    }
    if (!parsed.ok) {
        fact.classification = 'invalid';
        fact.invalidReason = parsed.error;
        fact.status = 'invalid';
        fact.reason = parsed.error;
        return fact;
    }
    fact.ref = parsed.ref;
    const repository = parsed.ref.name;
    // A list that is written: `[{name: ""}]` or a null entry (an unset Helm value) is not, and the
    // kubelet pulls anonymously. (A list the API server rejects still counts: it was meant.)
    const explicitList = pod.podRefs.some((r) => r.status !== 'empty-name' && !(r.status === 'not-object' && r.entry === null));
    // A listed secret whose content is unknown is assumed to cover every image (SPEC §3.4): the image is then checked, not auth-only.
    const listsUnknown = explicitList && pod.effective.some((r) => r.evaluation?.usable === true && r.evaluation.unknownContent);
    const cls = classify(repository, explicitList, listsUnknown);
    fact.classification = cls.classification;
    fact.reason = cls.reason;
    if (cls.classification === 'node-credentials') {
        fact.status = 'ok';
        return fact;
    }
    if (cls.classification === 'public') {
        // A public image is pulled with the credentials that match it all the same, and never
        // anonymously after they fail (SEMANTICS §2.4): credentials the registry refuses break it.
        // (Not one that a public-registries pattern names: those are never checked, SPEC §5.)
        if (!cls.byPattern && pod.listSource !== 'none' && onlyRefused(pod.effective, repository)) {
            fact.availableKeys = availableKeys(pod.effective).available;
            fact.status = 'not-covered';
        }
        else
            fact.status = 'not-checked';
        return fact;
    }
    if (cls.classification === 'unclassified') {
        fact.status = cls.authOnly ? 'auth-only' : 'unclassified';
        return fact;
    }
    fact.needsCredential = true;
    if (pod.listSource === 'none') {
        if (pod.sa?.origin === 'existing-service-accounts') {
            // A ServiceAccount created outside the manifests may carry pull secrets we cannot see.
            fact.assumed = true;
            return fact;
        }
        fact.status = pod.saName !== 'default' && !pod.sa ? 'sa-missing' : 'no-pull-secret';
        return fact;
    }
    const eff = pod.effective;
    if (eff.some((r) => r.status === 'malformed' && r.evaluation && !r.evaluation.usable && r.evaluation.fatal)) {
        fact.status = 'broken-secret';
        return fact;
    }
    if (pod.listSource === 'pod' && eff.some(apiRejects)) {
        // The API server rejects the object itself (pull-secret-empty-name says so at the list).
        fact.status = 'refs-broken';
        return fact;
    }
    const cov = coverage(eff, repository);
    if (cov.coveredBy.length > 0)
        fact.coveredBy = cov.coveredBy;
    fact.assumed = cov.assumed;
    if (cov.coveredBy.length > 0)
        return fact;
    if (pod.listSource === 'pod') {
        const saCov = coverage(pod.saRefs, repository);
        if (saCov.coveredBy.length > 0) {
            fact.status = 'shadowed';
            fact.shadowedBy = saCov.coveredBy;
            return fact;
        }
    }
    const { available, emptyOnly } = availableKeys(eff);
    if (available.length > 0) {
        fact.availableKeys = emptyOnly.length ? [...available, ...emptyOnly] : available;
        fact.status = 'not-covered';
    }
    else if (eff.every(namesNoSecret))
        fact.status = 'no-pull-secret';
    else
        fact.status = 'refs-broken';
    return fact;
}
/**
 * The keys the pod's secrets put in the keyring: those of usable secrets, and apart, those of
 * secrets that hold only empty entries (pull-secret-malformed), in the keyring all the same, so
 * they explain a miss beside usable secrets. A Secret listed twice lends its keys once.
 */
function availableKeys(eff) {
    const available = [];
    const emptyOnly = [];
    const lent = new Set();
    for (const r of eff) {
        const ev = r.evaluation;
        if (!ev || !r.chosen || lent.has(r.chosen))
            continue;
        lent.add(r.chosen);
        if (ev.usable)
            for (const k of availableKeysOf(r.chosen, ev.credentials, ev.pullKeys, ev.refusedKeys))
                available.push(k);
        else if (ev.credentials)
            for (const k of availableKeysOf(r.chosen, ev.credentials, []))
                emptyOnly.push(k);
    }
    return { available, emptyOnly };
}
/**
 * Whether every credential the keyring finds for the repository is one the registry refuses (a
 * line break ends its password), as coverage() finds them: the keys that match, or the
 * `index.docker.io` fallback when none does. An entry without credentials that matches sends an
 * empty one, which pulls a public image anonymously; a secret of unknown content is assumed good.
 */
function onlyRefused(refs, repository) {
    // Most pods list no secret with such credentials: nothing to match.
    if (!refs.some((r) => r.evaluation?.usable && r.evaluation.refusedKeys))
        return false;
    const covers = keyringMatch(refs, repository);
    let refused = false;
    for (const r of refs) {
        const ev = r.evaluation;
        if (!ev || !r.chosen)
            continue;
        if (ev.usable && ev.unknownContent)
            return false;
        for (const k of ev.keys ?? []) {
            if (!covers(k))
                continue;
            if (!ev.usable || !ev.refusedKeys?.has(k) || !ev.pullKeys.includes(k))
                return false;
            refused = true;
        }
    }
    return refused;
}
/** A secret's keys as AvailableKeys, made once per secret (every image it does not cover lists them). */
const availableKeysCache = new WeakMap();
/** The keys a secret's entries put in the keyring; those not among `pullKeys` send an empty credential. */
function availableKeysOf(def, credentials, pullKeys, refusedKeys) {
    let keys = availableKeysCache.get(def);
    if (!keys) {
        const pull = new Set(pullKeys);
        keys = credentials.map((c) => {
            const empty = c.key !== undefined && !pull.has(c.key);
            const k = { key: c.key, rawKey: c.rawKey, secret: def, empty, tokenOnly: empty && c.entry.tokens.length > 0 };
            const refused = c.key === undefined ? undefined : refusedKeys?.get(c.key);
            if (refused !== undefined)
                k.refused = refused;
            return k;
        });
        availableKeysCache.set(def, keys);
    }
    return keys;
}
const PULL_SECRET_FIELDS = new Set(['imagePullSecrets', 'pullSecrets', 'imagePullSecret', 'pullSecret', 'imagePullSecretName', 'pullSecretName']);
const SKIP_KINDS = new Set(['CustomResourceDefinition', 'ConfigMap']);
/** Secret names referenced by other kinds (CRs such as Prometheus, Workflow, NIMService). */
function referencesInOtherKinds(graph) {
    const names = new Set();
    const visit = (v, depth) => {
        if (depth > 12 || v === null || typeof v !== 'object')
            return;
        if (Array.isArray(v)) {
            for (const x of v)
                visit(x, depth + 1);
            return;
        }
        for (const [k, x] of Object.entries(v)) {
            if (PULL_SECRET_FIELDS.has(k))
                collectNames(x, names);
            else
                visit(x, depth + 1);
        }
    };
    const workloads = new Set(graph.podSpecs.map((p) => p.resource));
    for (const r of graph.resources) {
        if (SKIP_KINDS.has(r.kind) || r.kind === 'ServiceAccount' || workloads.has(r))
            continue;
        visit(r.obj.spec, 0);
    }
    return names;
}
function collectNames(v, out) {
    if (typeof v === 'string')
        out.add(v);
    else if (Array.isArray(v))
        for (const x of v)
            collectNames(x, out);
    else if (isObj(v) && typeof v.name === 'string')
        out.add(v.name);
}

;// CONCATENATED MODULE: ./build/model/misplaced.js
// imagePullSecrets written where Kubernetes never reads them, the usual reasons a user who "did list
// the secret" still gets no-pull-secret: on the workload's own spec or on the template instead of
// the template's spec, inside a container, under a misspelt key, or, on a ServiceAccount, under
// `secrets` (the mountable secrets) instead of `imagePullSecrets`. The API server drops unknown
// fields (kubectl's strict field validation rejects them instead): either way the pod gets nothing.


/** The built-in kinds, whose objects have no pull-secret field above their PodSpec (custom resources may). */
const BUILT_IN = new Set(['Pod', 'PodTemplate', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job', 'CronJob']);
/** `spec.template.spec.containers[0].imagePullSecrets` */
function pathText(path) {
    return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}
/** The pull-secret lists of a PodSpec's object that Kubernetes never reads. */
function misplacedInPod(pod) {
    // Run for every pod spec when a pull secret is unused: nothing is built until a key is found.
    const out = [];
    const r = pod.resource;
    const target = () => pathText([...pod.path, 'imagePullSecrets']);
    const add = (path, why) => {
        const shown = pathText(path);
        out.push({ holder: r, path, why: why(shown), label: `${shown}, never read`, at: `${shown} of ${describe(r)}` });
    };
    for (const { holder, path } of aboveThePodSpec(pod)) {
        for (const key of PULL_SECRET_KEYS) {
            if (holder[key] === undefined)
                continue;
            add([...path, key], (shown) => `${shown} is not part of the pod template, so it never reaches the pods (move it to ${target()})`);
        }
    }
    for (const key of PULL_SECRET_LOOKALIKES) {
        if (pod.spec[key] !== undefined)
            add([...pod.path, key], (shown) => `${shown} is not a field of a pod (write ${target()})`);
    }
    for (const use of pod.images) {
        if (use.slot === 'volumes')
            continue;
        for (const key of PULL_SECRET_KEYS) {
            if (use.entry[key] === undefined)
                continue;
            add([...use.entryPath, key], () => `the ${key} of container "${use.name}" is not a field of a container: pull secrets belong to the pod (move it to ${target()})`);
        }
    }
    return out;
}
/**
 * A ServiceAccount name written above the PodSpec of a built-in workload (on the Deployment's own
 * spec, on the template), where Kubernetes never reads it, when the PodSpec names none: its pods
 * run as `default`. The first one, from the root down.
 */
function misplacedServiceAccountName(pod) {
    if (pod.spec.serviceAccountName !== undefined || pod.spec.serviceAccount !== undefined)
        return undefined;
    for (const { holder, path: above } of aboveThePodSpec(pod)) {
        for (const key of ['serviceAccountName', 'serviceAccount']) {
            const name = holder[key];
            if (typeof name !== 'string' || name === '')
                continue;
            const path = [...above, key];
            return { path, name, shown: pathText(path), target: pathText([...pod.path, 'serviceAccountName']) };
        }
    }
    return undefined;
}
/**
 * Every mapping from a built-in workload's root down to its PodSpec's parent (the workload's spec,
 * the template), with its path: where fields of the pod are written by mistake. None for custom
 * resources, which may have such fields for their operators.
 */
function* aboveThePodSpec(pod) {
    if (!BUILT_IN.has(pod.resource.kind))
        return;
    let holder = pod.resource.obj;
    for (let depth = 0; depth < pod.path.length && isObj(holder); depth++) {
        yield { holder, path: pod.path.slice(0, depth) };
        holder = holder[pod.path[depth]];
    }
}
/**
 * The pull-secret lists of a ServiceAccount that Kubernetes never reads: a misspelt key, and the
 * docker-config secrets it names under `secrets` (`isPullSecret` says which names those are).
 */
function misplacedInServiceAccount(sa, isPullSecret) {
    const out = [];
    const label = `ServiceAccount ${sa.namespace}/${sa.name}`;
    for (const key of PULL_SECRET_LOOKALIKES) {
        if (sa.obj[key] === undefined)
            continue;
        out.push({ holder: sa, path: [key], why: `${label}'s ${key} is not a field of a ServiceAccount (write imagePullSecrets)`, label: `${label}'s ${key}, never read`, at: `${key} of ${label}` });
    }
    const secrets = sa.obj.secrets;
    if (Array.isArray(secrets)) {
        secrets.forEach((entry, i) => {
            const name = isObj(entry) && typeof entry.name === 'string' ? entry.name : undefined;
            if (name === undefined || !isPullSecret(name))
                return;
            out.push({ holder: sa, path: ['secrets', i], why: `${label} lists ${name} under secrets, the secrets its pods may mount, which no pull reads (list it under imagePullSecrets)`, label: `${label}'s secrets entry ${name}, not a pull secret`, at: `secrets of ${label}` });
        });
    }
    return out;
}
/** The Secret names a misplaced list gives (`{name: …}` entries, or bare strings). */
function namesIn(m) {
    const value = get(m.holder.obj, m.path);
    const items = Array.isArray(value) ? value : [value];
    const names = [];
    for (const item of items) {
        const name = typeof item === 'string' ? item : isObj(item) && typeof item.name === 'string' ? item.name : undefined;
        if (name)
            names.push(name);
    }
    return names;
}

;// CONCATENATED MODULE: ./build/rules/util.js






/** A clause of a message (`regenerate it …`) as a sentence of its own, for a finding's fix. */
function asSentence(clause) {
    return `${clause.charAt(0).toUpperCase()}${clause.slice(1)}.`;
}
/** The Secret whose fields make `def`: a copy that reflector or kubernetes-replicator pushes takes all of its source's. */
function producerOf(def) {
    return (def.origin === 'reflector' || def.origin === 'replicator') && def.source ? def.source : def;
}
/** `container "app" of Deployment app/web` */
function containerLabel(fact) {
    return `${slotLabel(fact.use.slot)} "${fact.use.name}" of ${describe(fact.pod.pod.resource)}`;
}
/** Registry host of an image (`docker.io`, `ghcr.io`, `localhost:5000`). */
function registryOf(fact) {
    return fact.ref?.domain ?? '?';
}
/**
 * A pull secret with credentials for the image that its pod could list: one the kubelet would use
 * under that name in the pod's namespace (`here`), else a declared one elsewhere to copy there.
 */
function credentialFor(graph, resolution, fact) {
    const repository = fact.ref?.name;
    if (repository === undefined)
        return undefined;
    const ns = fact.pod.pod.namespace;
    // The pods of a namespace pull the same repositories over and over: one look-up each.
    let cache = credentialCache.get(resolution);
    if (!cache)
        credentialCache.set(resolution, (cache = new Map()));
    const id = `${ns}\n${repository}`;
    let found = cache.get(id);
    if (found === undefined)
        cache.set(id, (found = findCredential(graph, resolution, repository, ns) ?? null));
    return found ?? undefined;
}
const credentialCache = new WeakMap();
function findCredential(graph, resolution, repository, ns) {
    const holders = holdersByNamespace(resolution, repository);
    // Only those that can be in the namespace are tried (thousands of namespaces may hold one each),
    // and of the copies into several namespaces only the first few: each is a match of its reach.
    for (const holder of [...(holders.get(ns) ?? []), ...(holders.get('*') ?? []).slice(0, COPIES_TRIED)]) {
        const used = appliedSecrets(graph.secretsIn(ns, holder.name)).find((d) => evaluateSecret(d).usable);
        if (used === holder)
            return { def: holder, here: true };
    }
    for (const holder of resolution.credentialHolders(repository)) {
        const declared = producerOf(holder);
        if (declared.namespace !== '*' && declared.namespace !== ns)
            return { def: declared, here: false };
    }
    return undefined;
}
/** How many copies into several namespaces (reflector, kubernetes-replicator, ClusterExternalSecret) credentialFor tries in a pod's namespace. */
const COPIES_TRIED = 16;
/** Each list of credentialHolders by namespace (the lists are shared between the repositories a key covers). */
const holderIndex = new WeakMap();
/** The credentialHolders of a repository by namespace (`*` for those that go into several). */
function holdersByNamespace(resolution, repository) {
    const holders = resolution.credentialHolders(repository);
    let index = holderIndex.get(holders);
    if (!index) {
        index = new Map();
        for (const holder of holders) {
            const list = index.get(holder.namespace);
            if (list)
                list.push(holder);
            else
                index.set(holder.namespace, [holder]);
        }
        holderIndex.set(holders, index);
    }
    return index;
}
/** How a secret is named as one to reference or copy: `Secret app/regcred`, with where it comes from when it is not a v1 Secret. */
function credentialLabel(def, namespace = def.namespace) {
    const copier = def.origin === 'reflector' ? 'reflector' : def.origin === 'replicator' ? 'kubernetes-replicator' : (def.copiedBy ?? 'kubernetes-replicator');
    const from = def.origin === 'existing-secrets'
        ? ' (an existing-secrets entry)'
        : def.source
            ? ` (copied from ${def.source.namespace}/${def.source.name} by ${copier})`
            : def.origin === 'Secret'
                ? ''
                : ` (made by ${def.label})`;
    return `Secret ${namespace}/${def.name}${from}`;
}
function secretRelated(def, message) {
    if (!def.resource)
        return [];
    // Where a secret is named, found once however many findings point at it (shared, read-only).
    let location = secretLocations.get(def);
    if (!location)
        secretLocations.set(def, (location = locationAt(def.resource, def.namePath ?? ['metadata', 'name'])));
    return [{ message: message ?? `${def.label} is defined here`, location }];
}
const secretLocations = new WeakMap();
function serviceAccountRelated(pod, message) {
    const sa = pod.sa;
    if (!sa?.resource)
        return [];
    return [{ message: message ?? `ServiceAccount ${sa.namespace}/${sa.name}`, location: locationAt(sa.resource, ['metadata', 'name']) }];
}
function workloadRelated(pod, message) {
    const r = pod.pod.resource;
    return { message: message ?? `used by ${describe(r)}`, location: locationAt(r, ['metadata', 'name']) };
}
/** Path of the blamed node of a reference: its `name:` value, or the entry (or the field) itself. */
function refNamePath(ref) {
    return ref.status === 'not-object' || ref.status === 'not-list' ? ref.entryPath : [...ref.entryPath, 'name'];
}
function refHolderLabel(ref) {
    return ref.owner === 'serviceAccount' ? `ServiceAccount ${ref.holder.namespace}/${ref.holder.name}` : describe(ref.holder);
}
/** Every distinct reference that is effective for at least one pod, with the pods it serves. */
const effectiveCache = new WeakMap();
function effectiveRefs(pods) {
    const cached = effectiveCache.get(pods);
    if (cached)
        return cached;
    const out = new Map();
    effectiveCache.set(pods, out);
    for (const pod of pods) {
        for (const ref of pod.effective) {
            const list = out.get(ref);
            if (list)
                list.push(pod);
            else
                out.set(ref, [pod]);
        }
    }
    return out;
}
/** `Deployment app/web` or `Deployment app/web and 2 more` */
function podsLabel(pods) {
    const names = [...new Set(pods.map((p) => describe(p.pod.resource)))];
    return names.length <= 1 ? (names[0] ?? '') : `${names[0]} and ${names.length - 1} more`;
}
/** Pulled or not, with no risk the other secrets' findings bear on (an imagePullPolicy Never image is never pulled: cachedBy's warning is its own). */
const settled = (i) => i.status === 'ok' || i.status === 'not-checked' || i.status === 'not-pulled' || i.cachedBy !== undefined;
/** The images of the pods that may fail to pull (not settled), as a message's subject: `its image a:1 is`, `its images a:1, b:2 and 3 more are`. */
function imagesAtRisk(pods) {
    return imagesSubject(imagesOf(pods, (i) => !settled(i)));
}
/** Images as a message's subject: `its image a:1 is`, `its images a:1, b:2 and 3 more are` (`its images are` for none named). */
function imagesSubject(list) {
    if (list.length === 0)
        return 'its images are';
    if (list.length === 1)
        return `its image ${list[0]} is`;
    return `its images ${namedImages(list)} are`;
}
/** The pods' images that are pulled (not those of imagePullPolicy Never): `a:1`, `a:1, b:2`, `a:1, b:2 and 3 more`, or '' when none is. */
function podImages(pods) {
    return namedImages(imagesOf(pods, (i) => i.status !== 'not-pulled' && i.cachedBy === undefined));
}
function imagesOf(pods, which) {
    const images = new Set();
    for (const p of pods)
        for (const i of p.images)
            if (which(i) && i.image !== '')
                images.add(i.image);
    return [...images];
}
function namedImages(list) {
    return `${list.slice(0, 2).join(', ')}${list.length > 2 ? ` and ${list.length - 2} more` : ''}`;
}
/**
 * Why the pods still pull every image without the secret a finding is about (missing, ignored, or
 * one the API server refuses, so never one that covers): the other secrets cover each image that
 * needs one, or none of the images needs a pull secret. Undefined when an image may fail, or is
 * unknown (unclassified: no other secret is known to cover it, and it may be private). The kubelet
 * then only records an event (FailedToRetrieveImagePullSecret) or skips the secret.
 */
function stillPullsWithout(pods) {
    if (!pods.every((p) => p.images.every(settled)))
        return undefined;
    return pods.some((p) => p.images.some((i) => i.needsCredential && i.cachedBy === undefined)) ? 'the other secrets still cover every image' : "none of the pod's images needs a pull secret";
}
/** misplacedInServiceAccount, with the pull secrets of the ServiceAccount's namespace from the graph. */
function misplacedInServiceAccountOf(graph, sa) {
    return misplacedInServiceAccount(sa, (name) => graph.secretsIn(sa.namespace ?? '', name).some(isPullSecretType));
}
/**
 * Helm runs pre-install hooks before it creates the chart's other objects, and waits for them; Argo
 * CD runs PreSync hooks before the sync. An object that is such a hook itself, of a weight no
 * higher (of the same weight, Helm creates Secrets and ServiceAccounts before Jobs and Pods), exists
 * by then; the others do not, on the first install.
 */
function earlyHook(r) {
    let hook = earlyHooks.get(r);
    if (hook === undefined)
        earlyHooks.set(r, (hook = hookOf(r) ?? null));
    return hook ?? undefined;
}
const earlyHooks = new WeakMap();
function hookOf(r) {
    const a = annotations(r);
    if (listed(a['helm.sh/hook'] ?? '').includes('pre-install')) {
        return { what: 'a Helm pre-install hook', by: 'Helm', fix: 'a pre-install hook too, with a lower helm.sh/hook-weight', weight: weightOf(a['helm.sh/hook-weight']) };
    }
    if (listed(a['argocd.argoproj.io/hook'] ?? '').includes('PreSync')) {
        return { what: 'an Argo CD PreSync hook', by: 'Argo CD', fix: 'a PreSync hook too, in an earlier argocd.argoproj.io/sync-wave', weight: weightOf(a['argocd.argoproj.io/sync-wave']) };
    }
    return undefined;
}
function weightOf(value) {
    const n = value === undefined ? 0 : Number.parseInt(value.trim(), 10);
    return Number.isFinite(n) ? n : 0;
}
/**
 * Whether `object`, needed by `hook`'s pods, is created only after the hook has run: it belongs to
 * the same release (rendered into the same file or directory: `helm template > out.yaml`, or
 * `--output-dir`), and is not an early hook of a weight no higher. An object of another file and
 * directory is taken to be applied on its own, before (a platform's Secrets).
 */
function createdAfter(hookResource, hook, object) {
    if (object.file !== hookResource.file && !sameRelease(object.file.path, hookResource.file.path))
        return false;
    const own = earlyHook(object);
    return own === undefined || own.weight > hook.weight;
}
/**
 * Whether two files are rendered from one release: the same directory, or, for `helm template
 * --output-dir` (`out/app/templates/…`), a chart's templates and those of a subchart of it
 * (`out/app/charts/db/templates/…`). Sibling subcharts are not told from charts rendered apart.
 */
function sameRelease(a, b) {
    if (dirOf(a) === dirOf(b))
        return true;
    const ca = chartDir(a);
    const cb = chartDir(b);
    return ca !== undefined && cb !== undefined && (ca === topChart(cb) || cb === topChart(ca));
}
function dirOf(path) {
    const i = path.lastIndexOf('/');
    return i < 0 ? '' : path.slice(0, i);
}
/** The chart directory of a file rendered under its `templates/`, or undefined. */
function chartDir(path) {
    const t = `/${path}`.lastIndexOf('/templates/');
    return t < 0 ? undefined : path.slice(0, Math.max(0, t - 1));
}
/** The chart a subchart directory (`out/app/charts/db`) is rendered within (`out/app`). */
function topChart(dir) {
    for (let m; (m = /^(.+)\/charts\/[^/]+$/.exec(dir));)
        dir = m[1];
    return dir;
}
/**
 * Whether `object` is gone when `pod`'s pods are made:
 * - a Helm hook with helm.sh/hook-delete-policy: hook-succeeded, which Helm's execHook deletes once
 *   the hooks of its event have run, before it creates the release's other objects: gone for the
 *   release's objects and for a hook that also runs on an event the object is no hook of (a
 *   pre-install,pre-upgrade Job after a pre-install Secret, on upgrade);
 * - an Argo CD hook with argocd.argoproj.io/hook-delete-policy: HookSucceeded, which gitops-engine
 *   deletes once the whole sync has succeeded: the hooks of every phase of the sync have it, and the
 *   other objects' pods have it while the sync runs but not after (a pod rescheduled or scaled up).
 * A pod that is an Argo CD hook is taken to run under Argo CD, which reads Helm's hooks as its own.
 */
function goneFor(pod, object) {
    const del = deletedHook(object);
    if (!del)
        return undefined;
    const a = annotations(pod);
    if (a['argocd.argoproj.io/hook'] !== undefined)
        return undefined;
    if (del.by === 'Argo CD')
        return a['helm.sh/hook'] !== undefined ? undefined : del;
    const mine = listed(a['helm.sh/hook'] ?? '');
    const its = new Set(listed(annotations(object)['helm.sh/hook'] ?? ''));
    return mine.length > 0 && mine.every((e) => its.has(e)) ? undefined : del;
}
const deletedHooks = new WeakMap();
function deletedHook(r) {
    let hook = deletedHooks.get(r);
    if (hook === undefined) {
        const a = annotations(r);
        const helm = a['helm.sh/hook-delete-policy'];
        const argo = a['argocd.argoproj.io/hook-delete-policy'];
        hook = null;
        if (a['helm.sh/hook'] !== undefined && helm !== undefined && listed(helm).includes('hook-succeeded')) {
            hook = { by: 'Helm', annotation: 'helm.sh/hook-delete-policy', value: helm, policy: 'hook-succeeded', hookAnnotation: 'helm.sh/hook', when: 'once its hooks succeed' };
        }
        else if (a['argocd.argoproj.io/hook'] !== undefined && argo !== undefined && listed(argo).includes('HookSucceeded')) {
            hook = { by: 'Argo CD', annotation: 'argocd.argoproj.io/hook-delete-policy', value: argo, policy: 'HookSucceeded', hookAnnotation: 'argocd.argoproj.io/hook', when: 'once the sync succeeds' };
        }
        deletedHooks.set(r, hook);
    }
    return hook ?? undefined;
}
function listed(value) {
    return value.split(',').map((v) => v.trim()).filter((v) => v !== '');
}
/** How a message says the container gets its image: it pulls it, or, under imagePullPolicy Never, uses the cached one. */
function pullsVerb(img) {
    return img.cachedBy ? 'uses (imagePullPolicy Never, from the node\'s cache)' : 'pulls';
}
/**
 * For an image of imagePullPolicy Never that another pod pulls with a pull secret (ImageFact
 * cachedBy): why it fails all the same, and that it fails only on Kubernetes 1.35 and later (a
 * warning, then). Empty for the others.
 */
function cachedNote(img) {
    const other = img.cachedBy;
    if (!other)
        return '';
    const r = other.pod.pod.resource;
    return (` This pod never pulls it, but ${r.kind} ${r.namespace ?? other.pod.pod.namespace}/${r.name} pulls it with a pull secret: ` +
        'on Kubernetes 1.35 and later (KubeletEnsureSecretPulledImages, on by default), the kubelet lets a pod use an image it pulled with a secret only with matching credentials, and fails this one (ErrImageNeverPull); an image the nodes have preloaded is exempt.');
}

;// CONCATENATED MODULE: ./build/rules/auth-only-registry.js

const authOnlyRegistry = {
    meta: {
        id: 'auth-only-registry',
        severity: 'warning',
        description: 'An image on a registry that requires authentication by default (ECR, ACR, Artifact Registry) is not covered by node-credentials, public-registries or private-registries.',
        rationale: 'Private ECR, Azure Container Registry and Artifact Registry never allow anonymous pulls. Nodes often pull them with their own identity (ECR node role, AKS kubelet identity, GKE service account), which pullcheck cannot see; otherwise the pod needs a pull secret.',
        remediation: 'Add the registry to node-credentials when the nodes pull it with their own identity, or to private-registries and give the pod a pull secret.',
        example: `containers:
  - name: api
    image: 123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:2.3`,
    },
    *check({ resolution }) {
        for (const pod of resolution.pods) {
            for (const img of pod.images) {
                if (img.status !== 'auth-only')
                    continue;
                const r = pod.pod.resource;
                const reg = registryOf(img);
                yield {
                    message: `${containerLabel(img)} in namespace ${pod.pod.namespace} pulls ${img.image} from ${reg}, a registry that requires authentication by default; add ${reg} to node-credentials if the nodes pull it with their own identity, or give the pod a pull secret and list it in private-registries.`,
                    fix: `Configure ${reg} as node-credentials or private-registries.`,
                    location: imageLocation(r, img.use),
                    resource: r,
                    related: [],
                    container: img.use.name,
                    image: img.image,
                    pods: [pod],
                    key: `${img.use.slot}/${img.use.name}`,
                };
            }
        }
    },
};

;// CONCATENATED MODULE: ./build/rules/secret-content.js




const secret_content_cache = new WeakMap();
/** The registry entries a docker-config value decodes to (or, when it does not decode, those its text shows); undefined when none. */
function credentialsIn(key, value) {
    if (value.value === undefined || value.value.trim() === '')
        return undefined;
    const decoded = key === '.dockerconfigjson' ? dockerconfig_decodeDockerConfigJson(value.value) : dockerconfig_decodeDockerCfg(value.value);
    if (!decoded.ok) {
        const creds = readableEntries(value.value);
        return creds ? { creds, unreadable: true } : undefined;
    }
    const creds = decoded.entries.map(([rawKey, entry]) => ({ rawKey, key: normalizeKey(rawKey), entry }));
    return creds.length ? { creds } : undefined;
}
/**
 * The entries of a docker config that does not decode whose credentials can still be read:
 * JSON the kubelet's decoder refuses for one entry (an auth that is not base64, a field of another
 * type), whose other entries' passwords are deployed all the same; or text that is not even JSON
 * (cut short, a stray comma): `"host": {… "auth"|"password": "…"`. Placeholders (`YOUR_GITHUB_PAT`,
 * `REDACTED`, `<token>`) aside. An auth that is not base64 is no credential.
 */
function readableEntries(text) {
    const creds = [];
    let parsed;
    try {
        parsed = JSON.parse(text);
    }
    catch {
        parsed = undefined;
    }
    if (parsed !== undefined) {
        const auths = parsed !== null && typeof parsed === 'object' && 'auths' in parsed ? parsed.auths : parsed;
        if (auths === null || typeof auths !== 'object' || Array.isArray(auths))
            return undefined;
        for (const [rawKey, v] of Object.entries(auths)) {
            const password = v !== null && typeof v === 'object' ? v.password : undefined;
            if (typeof password !== 'string' || password === '' || isPlaceholder(password))
                continue;
            creds.push({ rawKey, key: normalizeKey(rawKey), entry: { username: '', password, email: '', fromAuth: false, fields: ['password'], tokens: [] } });
        }
        return creds.length ? creds : undefined;
    }
    for (const m of text.matchAll(/"([^"\\{}]+)"\s*:\s*\{[^{}]*?"(auth|password)"\s*:\s*"([^"\\]+)"/g)) {
        const fromAuth = m[2] === 'auth';
        if (isPlaceholder(m[3]) || (fromAuth && isPlaceholder(Buffer.from(m[3], 'base64').toString('latin1'))))
            continue;
        // The value itself, for the masker (never shown): a password, or an auth as written.
        creds.push({ rawKey: m[1], key: normalizeKey(m[1]), entry: { username: '', password: fromAuth ? '' : m[3], email: '', fromAuth, fields: [m[2]], tokens: fromAuth ? [m[3]] : [] } });
    }
    return creds.length ? creds : undefined;
}
/** `<token>`, `${TOKEN}`, `{{ .token }}`, `xxxx`, `YOUR_GITHUB_PAT`, `CHANGEME`, `replace-me`, `REDACTED`: values to fill in, not credentials. */
const PLACEHOLDER = /^(?:<[^>]*>|\$\{[^}]*\}|\{\{.*\}\}|x{3,}|\*{3,}|(?:your|replace|change|insert|todo|placeholder)(?:[_-]\w*|me)?)$|redacted/i;
function isPlaceholder(value) {
    return PLACEHOLDER.test(value.trim());
}
/**
 * Every v1 Secret in the manifests whose docker-config key decodes to registry entries, whatever its
 * type (an Opaque secret holding .dockerconfigjson still commits credentials).
 */
function committedCredentials(graph) {
    let out = secret_content_cache.get(graph);
    if (out)
        return out;
    out = [];
    for (const def of graph.secretDefs) {
        if (def.origin !== 'Secret' || !def.resource || def.source)
            continue;
        const key = KEY_FOR_TYPE[def.type] && def.data?.has(KEY_FOR_TYPE[def.type]) ? KEY_FOR_TYPE[def.type] : def.data?.has('.dockerconfigjson') ? '.dockerconfigjson' : def.data?.has('.dockercfg') ? '.dockercfg' : undefined;
        if (!key)
            continue;
        let value = def.data.get(key);
        // Written as a YAML mapping rather than a string, or under data as plain text rather than base64:
        // the API server cannot decode the Secret, but the text is the config, committed in the clear.
        const raw = def.resource.obj[value.path[0]]?.[key];
        let plain = false;
        if (value.value === undefined && raw !== null && typeof raw === 'object') {
            value = { ...value, value: JSON.stringify(raw) };
            plain = true;
        }
        else if (value.value === undefined && typeof raw === 'string' && raw.trim() !== '') {
            value = { ...value, value: raw };
            plain = true;
        }
        const found = credentialsIn(key, value);
        if (found)
            out.push({ def, value, ...found, ...(plain ? { plain } : {}) });
        // stringData wins over data for the API server, but what data holds is committed all the same.
        const written = def.resource.obj.data?.[key];
        if (value.path[0] === 'stringData' && typeof written === 'string') {
            const overridden = { value: decodeBase64Strict(written), path: ['data', key] };
            const more = credentialsIn(key, overridden);
            if (more)
                out.push({ def, value: overridden, ...more });
        }
    }
    secret_content_cache.set(graph, out);
    return out;
}

;// CONCATENATED MODULE: ./build/rules/credentials-in-repo.js
// credentials-in-repo: a pull secret with plaintext (base64) credentials is committed.




/** A private ECR registry (normalised key: host, maybe a path). */
const ECR_KEY = /^[0-9]{12}\.dkr\.ecr(?:-fips)?\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?(?:\/|$)/;
const credentialsInRepo = {
    meta: {
        id: 'credentials-in-repo',
        severity: 'warning',
        description: 'A pull secret with plaintext credentials is committed to the repository.',
        rationale: 'base64 in a Secret\'s data is an encoding, not encryption: anyone who can read the repository can pull (and often push) with these credentials.',
        remediation: 'Commit a SealedSecret or an ExternalSecret instead, and rotate the exposed credentials.',
        example: `apiVersion: v1
kind: Secret
type: kubernetes.io/dockerconfigjson
data:
  .dockerconfigjson: eyJhdXRocyI6eyJnaGNyLmlvIjp7ImF1dGgiOiJkWE5sY2pwd1lYTnoifX19`,
    },
    *check({ graph }) {
        for (const { def, value, creds, unreadable, plain } of committedCredentials(graph)) {
            // A password, an `auth`, or a token (identitytoken, registrytoken: unused by the kubelet, a credential all the same).
            const withCredential = unreadable ? creds : creds.filter((c) => c.entry.password !== '' || c.entry.fromAuth || c.entry.tokens.length > 0);
            if (withCredential.length === 0)
                continue;
            const regs = [...new Set(withCredential.map((c) => shownKey(c.rawKey)))].join(', ');
            // Under stringData the value is not even encoded.
            const how = `${value.path[0] === 'stringData' ? 'in plain text under stringData' : plain ? 'in plain text under data, not even base64' : 'base64 is not encryption'}${unreadable ? '; the config does not decode, but its text holds them' : ''}`;
            // ECR has no lasting passwords: what `aws ecr get-login-password` prints expires after 12 hours.
            const ecr = withCredential.find((c) => c.key !== undefined && ECR_KEY.test(c.key));
            const expiry = ecr
                ? ` Besides, ${shownKey(ecr.rawKey)} is an ECR registry, whose passwords are tokens that expire 12 hours after they are made: pulls with this Secret fail from then on (let the nodes pull with their IAM role, or have an ExternalSecret refresh an ECRAuthorizationToken).`
                : '';
            yield {
                message: `${def.label} commits registry credentials for ${regs} in its ${KEY_FOR_TYPE[def.type] ?? 'data'} (${how}); replace it with a SealedSecret or ExternalSecret and rotate the credentials.${expiry}`,
                fix: 'Replace it with a SealedSecret or ExternalSecret and rotate the credentials.',
                location: locationAt(def.resource, value.path),
                resource: def.resource,
                key: value.path.join('.'),
            };
        }
    },
};

;// CONCATENATED MODULE: ./build/rules/invalid-image-reference.js

const invalidImageReference = {
    meta: {
        id: 'invalid-image-reference',
        severity: 'error',
        description: 'The image string is not a valid reference.',
        rationale: 'The API server accepts any non-empty image string, but the kubelet parses it with distribution/reference ParseNormalizedNamed before pulling and fails the container with InvalidImageName.',
        remediation: 'Write the image as [registry[:port]/]path[:tag][@sha256:<64 hex>], with a lowercase path.',
        example: `containers:
  - name: app
    image: ghcr.io/Acme/App:1.0   # uppercase path: InvalidImageName`,
    },
    *check({ resolution }) {
        for (const pod of resolution.pods) {
            for (const img of pod.images) {
                if (img.status !== 'invalid')
                    continue;
                const r = pod.pod.resource;
                const shown = typeof img.use.image === 'string' ? `image ${JSON.stringify(img.use.image)}` : 'its image';
                yield {
                    message: img.apiRejects
                        ? img.use.image === undefined || img.use.image === null || img.use.image === ''
                            ? `${containerLabel(img)} in namespace ${pod.pod.namespace}: ${img.invalidReason}; the API server rejects the object (image: Required value), so set the image.`
                            : `${containerLabel(img)} in namespace ${pod.pod.namespace}: ${img.invalidReason}; the API server cannot decode the object (an image is a string), so write the image as one.`
                        : `${containerLabel(img)} in namespace ${pod.pod.namespace}: ${shown} is not a valid image reference (${img.invalidReason}); the kubelet fails it with InvalidImageName, so fix the reference.`,
                    fix: 'Write the image as [registry[:port]/]path[:tag][@digest] with a lowercase path.',
                    location: imageLocation(r, img.use),
                    resource: r,
                    related: [],
                    container: img.use.name,
                    image: typeof img.use.image === 'string' ? img.use.image : '',
                    pods: [pod],
                    key: `${img.use.slot}/${img.use.name}`,
                };
            }
        }
    },
};

;// CONCATENATED MODULE: ./build/rules/no-pull-secret.js
// no-pull-secret: a private image whose pod ends up with no pull secret at all.



const noPullSecret = {
    meta: {
        id: 'no-pull-secret',
        severity: 'error',
        description: 'A private image is pulled by a pod that has no effective pull secrets (none on the pod, none on its ServiceAccount).',
        rationale: 'The ServiceAccount admission plugin copies the ServiceAccount\'s imagePullSecrets into a pod only when the pod lists none; when neither lists any, the kubelet pulls anonymously and a private registry answers 401: ImagePullBackOff.',
        remediation: 'Create a kubernetes.io/dockerconfigjson Secret for the registry in the pod\'s namespace and list it under imagePullSecrets of the pod or of its ServiceAccount.',
        example: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: app}
spec:
  template:
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.0   # private, and no imagePullSecrets anywhere`,
    },
    *check({ graph, resolution }) {
        for (const pod of resolution.pods) {
            let misplaced;
            for (const img of pod.images) {
                if (img.status !== 'no-pull-secret')
                    continue;
                const r = pod.pod.resource;
                const ns = pod.pod.namespace;
                // Pull secrets written where Kubernetes never reads them: what the user meant, named.
                misplaced ??= [
                    ...misplacedInPod(pod.pod),
                    ...(pod.listSource !== 'pod' && pod.sa?.resource ? misplacedInServiceAccountOf(graph, pod.sa.resource) : []),
                ];
                const noted = misplaced.length === 0 ? '' : `${misplaced[0].why}${misplaced.length > 1 ? ` (and ${misplaced.length - 1} more list${misplaced.length > 2 ? 's' : ''} never read)` : ''}`;
                // A ServiceAccount named where Kubernetes never reads it: the pods run as default.
                const saMisplaced = pod.saPath === undefined ? misplacedServiceAccountName(pod.pod) : undefined;
                const saNote = saMisplaced
                    ? `; ${saMisplaced.shown} (${saMisplaced.name}) is not part of the pod template, so the pods run as ServiceAccount default: move it to ${saMisplaced.target}, or`
                    : ';';
                const why = pod.listSource === 'pod'
                    ? `the pod's imagePullSecrets holds only empty names, which the kubelet skips and which keep ServiceAccount ${ns}/${pod.saName}'s list out`
                    : pod.listSource === 'serviceAccount'
                        ? pod.saRefs.some(apiRejects)
                            ? `ServiceAccount ${ns}/${pod.saName}'s imagePullSecrets is not a list of {name: …} objects, which the API server rejects`
                            : `ServiceAccount ${ns}/${pod.saName}'s imagePullSecrets holds only empty names, which the kubelet skips`
                        : noted
                            ? `neither the pod nor its ServiceAccount ${ns}/${pod.saName} has imagePullSecrets where Kubernetes reads them`
                            : `neither the pod nor its ServiceAccount ${ns}/${pod.saName} lists any imagePullSecrets`;
                // With a list written where it is never read, moving it is the fix.
                const moveOnly = noted !== '' && pod.listSource === 'none';
                const registry = registryOf(img);
                // A secret with credentials for the registry: in the namespace, to list; elsewhere, to copy.
                const credential = moveOnly ? undefined : credentialFor(graph, resolution, img);
                // A pod list of empty names keeps the ServiceAccount's out: only the pod's own list helps.
                const listIt = pod.listSource === 'pod' ? "the pod's imagePullSecrets" : `the pod's or ServiceAccount ${pod.saName}'s imagePullSecrets`;
                // Whether the image's reason already names that secret (`Secret app/regcred has credentials for ghcr.io`).
                const named = credential !== undefined && img.reason.startsWith(`${labelOfHolder(credential.def)} `);
                const remedy = !credential
                    ? `add a pull secret for ${registry} in namespace ${ns} and list it in ${listIt}`
                    : credential.here
                        ? `list ${credentialLabel(credential.def, ns)}${named ? '' : `, which has credentials for ${registry},`} in ${listIt}`
                        : `copy or replicate ${credentialLabel(credential.def)}${named ? '' : ` (it has credentials for ${registry})`} into namespace ${ns} (or add a pull secret for ${registry} there) and list it in ${listIt}`;
                yield {
                    message: (moveOnly
                        ? `${containerLabel(img)} ${pullsVerb(img)} private image ${img.image} (${img.reason}), but ${why}: ${noted}.`
                        : `${containerLabel(img)} ${pullsVerb(img)} private image ${img.image} (${img.reason}), but ${why}${noted ? `; ${noted}` : ''}${saNote} ${remedy}.`) + cachedNote(img),
                    ...(img.cachedBy ? { severity: 'warning' } : {}),
                    fix: moveOnly
                        ? `Move the pull secrets to the pod's imagePullSecrets (${pathText([...pod.pod.path, 'imagePullSecrets'])}) or to ServiceAccount ${pod.saName}'s imagePullSecrets.`
                        : saMisplaced
                            ? `Move ${saMisplaced.shown} to ${saMisplaced.target}.`
                            : !credential
                                ? `Create a docker-registry Secret for ${registry} in namespace ${ns} and reference it from ${listIt}.`
                                : credential.here
                                    ? `Add {name: ${credential.def.name}} to ${listIt}.`
                                    : `Copy or replicate ${credentialLabel(credential.def)} into namespace ${ns} (or create a docker-registry Secret for ${registry} there) and reference it from ${listIt}.`,
                    location: imageLocation(r, img.use),
                    resource: r,
                    related: [
                        ...serviceAccountRelated(pod, pod.listSource === 'none' ? `ServiceAccount ${ns}/${pod.saName} has no imagePullSecrets` : `ServiceAccount ${ns}/${pod.saName}`),
                        workloadRelated(pod, `${r.kind} ${ns}/${r.name}`),
                        ...misplaced.map((m) => ({ message: m.label, location: locationAt(m.holder, m.path, true) })),
                        ...(saMisplaced ? [{ message: `${saMisplaced.shown}, never read`, location: locationAt(r, saMisplaced.path, true) }] : []),
                        ...(credential ? secretRelated(credential.def, `${credential.def.label} has credentials for ${registry}`) : []),
                    ],
                    container: img.use.name,
                    image: img.image,
                    pods: [pod],
                    key: `${img.use.slot}/${img.use.name}`,
                };
            }
        }
    },
};

;// CONCATENATED MODULE: ./build/rules/password-not-token.js
// password-not-token: a Docker Hub or GHCR credential that is an account password, not an access token.




/** Which token family a registry key needs, if it is Docker Hub or GHCR. */
function family(key, rawKey) {
    if (key === undefined)
        return undefined;
    const host = key.split('/')[0];
    if (host === 'ghcr.io' || keyCovers(key, 'ghcr.io/x/y'))
        return { registry: 'GitHub Container Registry', prefixes: GITHUB_TOKENS };
    if (keyCovers(key, 'docker.io/library/x') || host === 'index.docker.io' || host === 'registry-1.docker.io' || /(^|\/\/)(index\.|registry-1\.)?docker\.io(?=$|[/:])/.test(rawKey)) {
        return { registry: 'Docker Hub', prefixes: DOCKER_HUB_TOKENS };
    }
    return undefined;
}
const passwordNotToken = {
    meta: {
        id: 'password-not-token',
        severity: 'warning',
        description: 'A Docker Hub or GHCR credential is not an access token (dckr_pat_, dckr_oat_, ghp_, github_pat_, gho_, …).',
        rationale: 'An account password grants everything the account can do and breaks when the password changes or 2FA is enabled; GHCR does not accept passwords at all. Access tokens can be scoped to read-only pulls and revoked alone.',
        remediation: 'Create a read-only access token (Docker Hub personal/organisation access token, GitHub token with read:packages) and use it as the password.',
        example: `# .dockerconfigjson decoded:
{"auths": {"https://index.docker.io/v1/": {"username": "acme", "password": "hunter2"}}}`,
    },
    *check({ graph }) {
        for (const { def, value, creds, unreadable } of committedCredentials(graph)) {
            if (unreadable)
                continue;
            for (const c of creds) {
                const fam = family(c.key, c.rawKey);
                if (!fam || c.entry.password === '')
                    continue;
                if (fam.prefixes.some((p) => c.entry.password.startsWith(p)))
                    continue;
                // A token written as the username is a secret too: never quoted (analyze.ts masks it).
                const swapped = looksLikeToken(c.entry.username);
                yield {
                    message: swapped
                        ? `${def.label} holds a ${fam.registry} credential for ${shownKey(c.rawKey)} whose access token is written as the username, and whose password is not a token (${fam.prefixes.join(', ')}…); write the token as the password.`
                        : `${def.label} holds a ${fam.registry} credential for ${shownKey(c.rawKey)} (user ${JSON.stringify(c.entry.username)}) whose password is not an access token (${fam.prefixes.join(', ')}…); replace it with a read-only access token.`,
                    fix: swapped ? `Write the ${fam.registry} access token as the password.` : `Use a read-only ${fam.registry} access token as the password.`,
                    location: locationAt(def.resource, value.path),
                    resource: def.resource,
                    key: `${value.path.join('.')}:${c.rawKey}`,
                };
            }
        }
    },
};

;// CONCATENATED MODULE: ./build/rules/pull-secret-empty-name.js
// pull-secret-empty-name: an imagePullSecrets entry without a name (skipped, and it blocks the ServiceAccount's list).




const pullSecretEmptyName = {
    meta: {
        id: 'pull-secret-empty-name',
        severity: 'warning',
        description: 'An imagePullSecrets entry has an empty (or no) name, or is not a {name: …} object.',
        rationale: 'The kubelet skips entries with an empty name, but the admission plugin still counts the pod\'s list as non-empty, so the ServiceAccount\'s pull secrets are not copied in. An entry that is not a {name: …} object (a bare string such as `- regcred`), or an imagePullSecrets that is not a list, cannot be decoded at all: the API server rejects the object, and that is reported as an error.',
        remediation: 'Remove the entry or give it the Secret\'s name (often an unset Helm value).',
        example: `spec:
  imagePullSecrets:
    - name: ""   # from an unset {{ .Values.imagePullSecret }}`,
    },
    *check({ resolution }) {
        for (const [ref, pods] of effectiveRefs(resolution.pods)) {
            if (!namesNoSecret(ref))
                continue;
            const pod = pods[0];
            const location = locationAt(ref.holder, refNamePath(ref));
            const key = ref.entryPath.join('.');
            if (apiRejects(ref)) {
                // Not an empty name but a value the API server cannot decode: the object is never created.
                const shown = shownValue(ref.entry);
                const name = ref.status === 'name-not-string' ? ref.entry.name : undefined;
                const what = ref.status === 'not-list'
                    ? `sets imagePullSecrets to ${shown}, which is not a list of {name: …} objects`
                    : ref.status === 'name-not-string'
                        ? `lists an entry whose name is ${shownValue(name)}, not a string, under imagePullSecrets`
                        : `lists ${shown} under imagePullSecrets, which is not a {name: …} object`;
                const write = typeof name === 'number' || typeof name === 'boolean'
                    ? `quote the name: {name: "${writtenAs(ref.holder, refNamePath(ref)) ?? String(name)}"}`
                    : typeof ref.entry === 'string' && isNameLike(ref.entry)
                        ? `write it as ${ref.status === 'not-list' ? 'imagePullSecrets: ' : ''}[{name: ${ref.entry}}]`
                        : "write each entry as {name: <the Secret's name>}";
                yield {
                    message: `${refHolderLabel(ref)} ${what} (used by ${podsLabel(pods)}); the API server cannot decode it and rejects the ${ref.holder.kind}, so none of its images is pulled; ${write}.`,
                    fix: "Write each imagePullSecrets entry as {name: <the Secret's name>}.",
                    severity: 'error',
                    location,
                    resource: ref.holder,
                    pods,
                    key,
                };
                continue;
            }
            const blocks = ref.owner === 'pod' && pod.saRefs.length > 0 ? `; it also keeps ServiceAccount ${pod.saName}'s pull secrets out of the pod` : '';
            const what = ref.status === 'not-object' ? `an entry that is not a {name: …} object (${shownValue(ref.entry)})` : 'an entry with an empty name';
            yield {
                message: `${refHolderLabel(ref)} lists ${what} under imagePullSecrets (used by ${podsLabel(pods)}), which the kubelet skips${blocks}; remove it or set the Secret's name.`,
                fix: 'Remove the entry or set the Secret name.',
                location,
                resource: ref.holder,
                pods,
                key,
            };
        }
    },
};
/**
 * The plain scalar as written at `path` (`1.10`, `1e3`, `0x1F`, `yes`), which is what quoting
 * keeps; undefined when the text is not a lone plain scalar.
 */
function writtenAs(r, path) {
    const { start, end } = spanAt(r, path);
    const text = r.file.text.slice(start, end);
    return /^[^\s"'{}[\],#&*!|>%@`]+$/.test(text) ? text : undefined;
}
/** A Secret's name, or something that could be one (`regcred`, `team.pull-secret`): safe to show. */
function isNameLike(text) {
    return text.length <= 253 && /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(text);
}
/**
 * What an imagePullSecrets value is, without its content: a value that is not a list of names is
 * often a Helm value rendered in the wrong place (the registry credentials, or the docker config
 * itself). It is quoted as JSON only when short and made of what could be names (`["a","b"]`,
 * `{"name":"ghcr-pull"}`), no key named like a credential; else described (`a string of 112
 * characters`, `a mapping with the keys username, password`).
 */
function shownValue(value) {
    if (value === undefined)
        return 'nothing';
    const json = JSON.stringify(value);
    if (json.length <= 80 && namesOnly(value))
        return json;
    if (typeof value === 'string')
        return `a string of ${[...value].length} characters`;
    if (Array.isArray(value))
        return value.length === 0 ? 'an empty list' : `a list of ${value.length} ${value.length === 1 ? 'item' : 'items'}`;
    const keys = Object.keys(value);
    const named = keys.filter((k) => k.length <= 40 && /^[A-Za-z0-9_.-]+$/.test(k)).slice(0, 5);
    const others = keys.length - named.length;
    if (named.length === 0)
        return `a mapping of ${keys.length} ${keys.length === 1 ? 'key' : 'keys'}`;
    return `a mapping with the ${named.length === 1 ? 'key' : 'keys'} ${named.join(', ')}${others > 0 ? ` and ${others} more` : ''}`;
}
/** Only names, numbers, booleans and nulls, under keys not named like credentials. */
function namesOnly(value) {
    if (value === null || typeof value === 'number' || typeof value === 'boolean')
        return true;
    if (typeof value === 'string')
        return value === '' || isNameLike(value);
    if (Array.isArray(value))
        return value.every(namesOnly);
    return Object.entries(value).every(([k, v]) => !CREDENTIAL_KEY.test(k) && isNameLike(k) && namesOnly(v));
}

;// CONCATENATED MODULE: ./build/rules/pull-secret-in-other-namespace.js

const pullSecretInOtherNamespace = {
    meta: {
        id: 'pull-secret-in-other-namespace',
        severity: 'error',
        description: 'An effective pull secret is missing from the pod\'s namespace but a Secret of that name exists in another namespace (a warning when the pod still pulls every image).',
        rationale: 'Pull secrets are looked up in the pod\'s namespace only; a `namespace:` field on the reference is dropped. A Secret in another namespace is never used.',
        remediation: 'Copy the Secret into the pod\'s namespace, or replicate it (reflector, kubernetes-replicator, ClusterExternalSecret).',
        example: `# Secret regcred lives in namespace shared; the pod runs in namespace app
spec:
  imagePullSecrets:
    - name: regcred`,
    },
    *check({ resolution, graph }) {
        // What is said of the secrets of a name, once per name: thousands of references in as many
        // namespaces may name one that thousands of namespaces hold.
        const described = new Map();
        const describe = (name, ns) => {
            let d = described.get(name);
            if (!d) {
                const namespaces = graph.namespacesWith(name);
                const clusterExternal = [...new Set(graph.secretsNamed(name).filter((e) => e.origin === 'ClusterExternalSecret').map((e) => e.resource.name))];
                described.set(name, (d = { namespaces, holds: new Set(namespaces), replicas: graph.replicasNamed(name), clusterExternal }));
            }
            const shown = [];
            for (const n of d.namespaces)
                if (n !== ns && shown.push(n) === 5)
                    break;
            const more = d.namespaces.length - (d.holds.has(ns) ? 1 : 0) - shown.length;
            // Already copied by a replicator, or made by a ClusterExternalSecret, but not into this namespace.
            const copies = d.replicas.filter((e) => e.source.namespace !== ns);
            const reaches = [
                ...copies.map((e) => `${e.origin === 'reflector' ? 'reflector' : 'kubernetes-replicator'} copies ${e.source.label} into ${e.reach}`),
                ...d.clusterExternal.map((r) => `ClusterExternalSecret ${r} makes it in the namespaces of its spec.namespaces`),
            ];
            return { where: more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', '), first: shown[0], reaches, bySelector: copies.some((e) => e.bySelector === true) };
        };
        for (const [ref, pods] of effectiveRefs(resolution.pods)) {
            if (ref.status !== 'other-namespace')
                continue;
            const ns = pods[0].pod.namespace;
            const { where, first, reaches, bySelector } = describe(ref.name, ns);
            const advice = reaches.length
                ? `${reaches.join(', and ')}, not into ${ns}: add ${ns} there${bySelector ? ` (or label Namespace ${ns} to match the selector)` : ''}, or copy Secret ${ref.name} into ${ns}`
                : `copy or replicate Secret ${ref.name} into ${ns}`;
            // As pull-secret-not-found, which this rule replaces: a warning when the pod's other
            // secrets still cover every image (the kubelet records an event and pulls).
            const still = stillPullsWithout(pods);
            const warning = still !== undefined;
            const consequence = still ? ` (${still}: the kubelet only records a FailedToRetrieveImagePullSecret event)` : `; ${imagesAtRisk(pods)} pulled without it`;
            // Checked in the default namespace because it names none: installed with -n, it may be where the Secret is.
            const unset = ref.holder.namespaceUnset ? ref.holder : pods.find((p) => p.pod.resource.namespaceUnset)?.pod.resource;
            // Or the Secret names none: installed with -n into the pod's namespace, it is there.
            const unsetSecret = unset ? undefined : ref.elsewhere.find((d) => d.resource?.namespaceUnset);
            const installedElsewhere = unset && first !== undefined
                ? `; ${unset.kind} ${unset.name} names no namespace and is checked in ${ns}, the default-namespace: if it is installed into ${first} (kubectl apply -n, helm install -n, a GitOps target namespace), set default-namespace to ${first} or write its metadata.namespace instead`
                : unsetSecret
                    ? `; ${unsetSecret.label} names no namespace and is checked in ${unsetSecret.namespace}, the default-namespace: if it is installed into ${ns} with the pods (kubectl apply -n, helm install -n, a GitOps target namespace), set default-namespace to ${ns} or write its metadata.namespace instead`
                    : '';
            yield {
                message: `${refHolderLabel(ref)} references pull secret "${ref.name}", which is not in namespace ${ns} but only in ${where} (used by ${podsLabel(pods)})${consequence}; pull secrets are read from the pod's namespace only${reaches.length ? '; ' : ', so '}${advice}${installedElsewhere}.`,
                severity: warning ? 'warning' : 'error',
                fix: `Copy or replicate Secret ${ref.name} into namespace ${ns}.`,
                location: locationAt(ref.holder, refNamePath(ref)),
                resource: ref.holder,
                related: ref.elsewhere.slice(0, 5).flatMap((d) => secretRelated(d, `${d.label} is in another namespace`)),
                pods,
                key: `${ref.entryPath.join('.')}=${ref.name}`,
            };
        }
    },
};

;// CONCATENATED MODULE: ./build/rules/pull-secret-malformed.js
// pull-secret-malformed: the secret has the right type but its content is unusable or breaks the keyring.


const pullSecretMalformed = {
    meta: {
        id: 'pull-secret-malformed',
        severity: 'error',
        description: 'A referenced pull secret is malformed: empty or missing key, bad base64 or JSON, no auths wrapper, no credentials, or an auth not base64(user:pass) (a warning when the pod still pulls every image).',
        rationale: 'The API server rejects bad base64 and bad JSON; a .dockerconfigjson without "auths", or whose entries hold no credentials (a workstation\'s config whose credsStore keeps them in a keychain), yields none the kubelet can use; and an undecodable auth field makes the kubelet\'s keyring fail, so no image of the pod is pulled at all, not even anonymously.',
        remediation: 'Regenerate the secret with kubectl create secret docker-registry (or --from-file=.dockerconfigjson of a Docker config whose auths hold the credentials themselves, not one whose credsStore keeps them elsewhere).',
        example: `stringData:
  .dockerconfigjson: '{"ghcr.io": {"auth": "…"}}'   # no "auths" wrapper`,
    },
    *check({ resolution }) {
        for (const [ref, pods] of effectiveRefs(resolution.pods)) {
            if (ref.status !== 'malformed' || !ref.chosen || !ref.evaluation || ref.evaluation.usable)
                continue;
            const def = ref.chosen;
            const ev = ref.evaluation;
            // Otherwise the kubelet skips it: worth saying where the pod has other secrets to pull with.
            const others = pods.some((p) => p.effective.some((r) => r !== ref));
            // A warning, as for pull-secret-not-found, when the pod pulls every image all the same.
            const still = ev.fatal ? undefined : stillPullsWithout(pods);
            const all = ev.fatal ? podImages(pods) : '';
            const effect = ev.fatal
                ? `the kubelet then pulls none of the pod's images${all ? ` (${all})` : ''}, not even anonymously; `
                : still
                    ? `the pod still pulls (${still}); `
                    : `${others ? "the pod's other secrets are still used, but " : ''}${imagesAtRisk(pods)} pulled without it; `;
            const related = def.resource ? [{ message: `${def.label} content`, location: locationAt(def.resource, ev.path ?? ['metadata', 'name']) }] : [];
            // A field the API server cannot decode, or an operator's object, is mended in its own terms;
            // a copy that reflector or kubernetes-replicator pushes (all of it the source's), where it is
            // copied from. A copy declared here and filled from elsewhere keeps its own type and
            // placeholder, which its message is about.
            const producer = producerOf(def);
            const it = producer !== def ? `its source ${producer.label}` : 'it';
            const remedy = ev.remedy ??
                (producer.origin === 'SealedSecret'
                    ? `seal ${it} again from a Secret made with kubectl create secret docker-registry`
                    : producer.origin === 'ExternalSecret' || producer.origin === 'ClusterExternalSecret'
                        ? `write the docker config under the key ${KEY_FOR_TYPE[def.type] ?? KEY_FOR_TYPE[DOCKERCONFIGJSON]} of ${producer !== def ? `${producer.label}'s` : 'its'} target template's data`
                        : producer !== def
                            ? `regenerate ${it} with kubectl create secret docker-registry`
                            : undefined);
            yield {
                message: `${refHolderLabel(ref)} references pull secret "${ref.name}" (used by ${podsLabel(pods)}), but ${def.label} ${def.notCopied ? 'is never filled' : 'is malformed'}: ${ev.detail}; ${effect}${remedy ?? 'regenerate it with kubectl create secret docker-registry'}.`,
                fix: remedy ? asSentence(remedy) : 'Regenerate the secret with kubectl create secret docker-registry.',
                ...(still ? { severity: 'warning' } : {}),
                location: locationAt(ref.holder, refNamePath(ref)),
                resource: ref.holder,
                related,
                pods,
                key: `${ref.entryPath.join('.')}=${ref.name}`,
            };
        }
    },
};

;// CONCATENATED MODULE: ./build/rules/pull-secret-not-allowed.js
// pull-secret-not-allowed: the pod lists a pull secret that its ServiceAccount, which enforces
// mountable secrets, does not reference; the ServiceAccount admission plugin rejects the pod.



const ENFORCE_MOUNTABLE_SECRETS = 'kubernetes.io/enforce-mountable-secrets';
const pullSecretNotAllowed = {
    meta: {
        id: 'pull-secret-not-allowed',
        severity: 'error',
        description: 'The pod lists a pull secret that its ServiceAccount, annotated kubernetes.io/enforce-mountable-secrets, does not reference: admission rejects the pod.',
        rationale: 'With kubernetes.io/enforce-mountable-secrets: "true" on the ServiceAccount, the ServiceAccount admission plugin (limitSecretReferences) requires every imagePullSecrets name of the pod to appear in the ServiceAccount\'s imagePullSecrets, and rejects the pod otherwise: nothing runs.',
        remediation: 'Add the secret to the ServiceAccount\'s imagePullSecrets (or leave the pod\'s list out, so that it gets the ServiceAccount\'s), or drop the annotation.',
        example: `kind: ServiceAccount
metadata:
  name: locked
  annotations: {kubernetes.io/enforce-mountable-secrets: "true"}
imagePullSecrets: [{name: other}]
---
spec:
  serviceAccountName: locked
  imagePullSecrets: [{name: regcred}]   # not in locked's list: the pod is rejected`,
    },
    *check({ resolution }) {
        for (const pod of resolution.pods) {
            // Only a list of the pod's own is checked: one copied from the ServiceAccount is its own.
            const sa = pod.sa;
            if (pod.listSource !== 'pod' || !sa?.resource)
                continue;
            const value = annotations(sa.resource)[ENFORCE_MOUNTABLE_SECRETS];
            // No list at all is an empty one: every secret the pod lists is refused. One that is not a
            // list keeps the ServiceAccount from being created (reported as such).
            const list = sa.imagePullSecrets ?? [];
            // enforceMountableSecrets: strconv.ParseBool, an error reads as false.
            if (parseGoBool(value) !== true || !Array.isArray(list))
                continue;
            const allowed = new Set(list.map((e) => (isObj(e) ? (resources_str(e.name) ?? '') : undefined)));
            // Admission stops at the first entry it refuses and quotes it; every one needs mending.
            let first = true;
            for (const ref of pod.podRefs) {
                if (ref.status === 'not-list' || ref.status === 'not-object' || ref.status === 'name-not-string' || allowed.has(ref.name))
                    continue;
                const saLabel = `ServiceAccount ${sa.namespace}/${sa.name}`;
                const holder = refHolderLabel(ref);
                const users = podsLabel([pod]);
                const rejection = first
                    ? `so admission rejects the pods (imagePullSecrets[${ref.index}].name="${ref.name}" is not allowed because service account ${sa.name} does not reference that imagePullSecret)`
                    : 'so admission refuses it as well';
                first = false;
                yield {
                    message: `${holder} lists pull secret "${ref.name}"${users === holder ? '' : ` (used by ${users})`}, but its ${saLabel} has ${ENFORCE_MOUNTABLE_SECRETS}: "${value}" and does not list "${ref.name}" in its imagePullSecrets, ${rejection}; add "${ref.name}" to the ServiceAccount's imagePullSecrets${list.length ? ', or drop the pod\'s list to get the ServiceAccount\'s' : ''}.`,
                    fix: `Add "${ref.name}" to the imagePullSecrets of ${saLabel}.`,
                    location: locationAt(ref.holder, refNamePath(ref)),
                    related: [
                        { message: `${saLabel} enforces mountable secrets`, location: locationAt(sa.resource, ['metadata', 'annotations', ENFORCE_MOUNTABLE_SECRETS]) },
                        ...serviceAccountRelated(pod, `${saLabel}, used by ${describe(pod.pod.resource)}`),
                    ],
                    resource: ref.holder,
                    pods: [pod],
                    key: ref.entryPath.join('.'),
                };
            }
        }
    },
};

;// CONCATENATED MODULE: ./build/rules/pull-secret-not-found.js
// pull-secret-not-found: an effective pull secret does not exist in the pod's namespace.





/** kustomize's name suffix: a dash and 10 characters of its hash encoding (hex with 0 1 3 a e written g h k m t). */
const KUSTOMIZE_HASH = /^(.+)-[2456789bcdfghkmt]{10}$/;
/**
 * The names that kustomize's secretGenerator may have made the generated Secrets among `secrets`
 * of (`prod-regcred-7g2fk8h9m4` of regcred, prod-regcred, prod: the stem and each run of its
 * dash-separated parts, a namePrefix or nameSuffix taken off), each with the first such Secret.
 */
function generatedBases(secrets) {
    const out = new Map();
    for (const d of secrets) {
        const m = KUSTOMIZE_HASH.exec(d.name);
        if (!m)
            continue;
        const parts = m[1].split('-');
        // A name has a few parts; a long one is taken whole only.
        const n = parts.length <= 8 ? parts.length : 1;
        for (let i = 0; i < n; i++) {
            for (let j = i + 1; j <= n; j++) {
                const base = n === 1 ? m[1] : parts.slice(i, j).join('-');
                if (base && !out.has(base))
                    out.set(base, d);
            }
        }
    }
    return out;
}
/** Where a ClusterExternalSecret's namespace selectors are written. */
function selectorPath(ces) {
    return isObj(get(ces.obj, ['spec', 'namespaceSelectors'])) || Array.isArray(get(ces.obj, ['spec', 'namespaceSelectors'])) ? ['spec', 'namespaceSelectors'] : ['spec', 'namespaceSelector'];
}
const pullSecretNotFound = {
    meta: {
        id: 'pull-secret-not-found',
        severity: 'error',
        description: 'An effective pull secret does not exist in the pod\'s namespace (a warning when the pod still pulls every image).',
        rationale: 'The kubelet fetches each pull secret from the pod\'s own namespace; a missing one is skipped with a FailedToRetrieveImagePullSecret event and the pull goes on with what remains, or anonymously.',
        remediation: 'Create the Secret in the pod\'s namespace (or declare it in existing-secrets when it is created outside these manifests), or fix the name.',
        example: `spec:
  imagePullSecrets:
    - name: regcred   # no Secret regcred in this namespace`,
    },
    *check({ graph, resolution }) {
        // The pull secrets declared in each namespace (made when a reference is missing).
        let declared;
        // Their names, one array per namespace: nearest() keeps what it computes of an array.
        const namesIn = new Map();
        const suggest = budgetedNearest();
        // By namespace, the names kustomize's secretGenerator may have made each generated Secret of.
        const generatedIn = new Map();
        const pullSecretsIn = (ns) => {
            if (!declared) {
                declared = new Map();
                for (const d of graph.secretDefs)
                    if (d.resource && isPullSecretType(d))
                        push(declared, d.namespace, d);
            }
            return declared.get(ns) ?? [];
        };
        for (const [ref, pods] of effectiveRefs(resolution.pods)) {
            if (ref.status !== 'not-found')
                continue;
            const ns = pods[0].pod.namespace;
            // A pull secret of the namespace whose name is a likely typo of this one.
            const near = pullSecretsIn(ns);
            let names = namesIn.get(ns);
            if (!names)
                namesIn.set(ns, (names = near.map((d) => d.name)));
            // A kustomize secretGenerator's output (`regcred-7g2fk8h9m4`, with a namePrefix or not) first, then a near spelling.
            let bases = generatedIn.get(ns);
            if (!bases)
                generatedIn.set(ns, (bases = generatedBases(near)));
            const generated = bases.get(ref.name);
            const guess = generated ? generated.name : suggest(ref.name, names);
            const similar = guess === undefined ? undefined : near.find((d) => d.name === guess);
            const still = stillPullsWithout(pods);
            const warning = still !== undefined;
            const consequence = still ? `the kubelet only records a FailedToRetrieveImagePullSecret event because ${still}` : `${imagesAtRisk(pods)} pulled without it`;
            // A ClusterExternalSecret makes it only in the namespaces its selectors pick, and this one's labels do not match.
            const selected = graph.selectedSecretsNamed(ref.name)[0];
            const maker = selected?.resource ? `ClusterExternalSecret ${selected.resource.name}` : '';
            const bySelector = selected ? `; ${maker} makes it only in the namespaces its namespace selectors pick, and Namespace ${ns}'s labels match none` : '';
            const label = selected ? `label Namespace ${ns} to match, ` : '';
            yield {
                message: `${refHolderLabel(ref)} references pull secret "${ref.name}", which does not exist in namespace ${ns} (used by ${podsLabel(pods)})${bySelector}; ${consequence}; ${label}create Secret ${ns}/${ref.name} or fix the name${similar ? ` (did you mean "${similar.name}"?${generated ? ' kustomize adds a hash to the names of the Secrets its secretGenerator makes, and rewrites only the references it renders with them' : ''})` : ''}.`,
                fix: selected ? `Label Namespace ${ns} to match the namespace selectors of ${maker}, create Secret ${ref.name} in namespace ${ns}, or list it in existing-secrets.` : `Create Secret ${ref.name} in namespace ${ns}, or list it in existing-secrets.`,
                location: locationAt(ref.holder, refNamePath(ref)),
                resource: ref.holder,
                severity: warning ? 'warning' : 'error',
                related: [
                    ...(selected?.resource ? [{ message: `${maker} picks its namespaces here`, location: locationAt(selected.resource, selectorPath(selected.resource)) }] : []),
                    ...(similar ? secretRelated(similar, `${similar.label} has a similar name`) : []),
                    ...(ref.owner === 'serviceAccount' ? pods.slice(0, 5).map((p) => workloadRelated(p)) : []),
                ],
                pods,
                key: `${ref.entryPath.join('.')}=${ref.name}`,
            };
        }
        yield* createdAfterHook(resolution);
        yield* deletedAfterHooks(resolution);
    },
};
/**
 * Pull secrets that are hooks deleted once their hooks succeed (helm.sh/hook-delete-policy:
 * hook-succeeded, or Argo CD's HookSucceeded), used by pods that are no hooks of that event: the
 * release's Deployments and the like. Their images that only such secrets cover are pulled
 * without them. One finding per reference.
 */
function* deletedAfterHooks(resolution) {
    for (const [ref, pods] of effectiveRefs(resolution.pods)) {
        const def = ref.chosen;
        if (ref.status !== 'ok' || !def?.resource || def.origin === 'existing-secrets')
            continue;
        let deleted;
        const podsWithout = [];
        const images = new Set();
        for (const pod of pods) {
            const r = pod.pod.resource;
            const del = goneFor(r, def.resource);
            if (!del)
                continue;
            const h = earlyHook(r);
            if (h && createdAfter(r, h, def.resource))
                continue; // said by createdAfterHook
            const gone = (d) => d.resource !== undefined && d.origin !== 'existing-secrets' && goneFor(r, d.resource) !== undefined;
            const lost = pod.images.filter((i) => i.coveredBy.includes(def) && i.coveredBy.every(gone));
            if (lost.length === 0)
                continue;
            deleted ??= del;
            podsWithout.push(pod);
            for (const i of lost)
                images.add(i.image);
        }
        if (!deleted)
            continue;
        const fix = `drop ${deleted.policy} from ${def.label}'s ${deleted.annotation} (or make it no hook: no ${deleted.hookAnnotation})`;
        yield {
            message: `${refHolderLabel(ref)} references pull secret "${ref.name}" (used by ${podsLabel(podsWithout)}), but ${def.label} is ${deleted.by === 'Helm' ? 'a Helm' : 'an Argo CD'} hook that ${deleted.by} deletes ${deleted.when} (${deleted.annotation}: ${deleted.value}), ` +
                (deleted.by === 'Helm'
                    ? `and those pods are no hooks of its events: ${imagesSubject([...images])} pulled without it; ${fix}.`
                    : `and those pods are no hooks: after the sync (a pod rescheduled or scaled up) ${imagesSubject([...images])} pulled without it; ${fix}.`),
            fix: `${fix[0].toUpperCase()}${fix.slice(1)}.`,
            location: locationAt(ref.holder, refNamePath(ref)),
            resource: ref.holder,
            related: secretRelated(def, `${def.label} is deleted ${deleted.when}`),
            pods: podsWithout,
            key: `${ref.entryPath.join('.')}=${ref.name}/deleted`,
        };
    }
}
/**
 * Pull secrets of hooks that run before their chart's objects exist (Helm pre-install hooks, Argo
 * CD PreSync ones) that are among those objects: on the first install the hooks' images that only
 * they cover are pulled without them, and the install waits on the hook until it times out. One
 * finding per reference, as for the other references.
 */
function* createdAfterHook(resolution) {
    for (const [ref, pods] of effectiveRefs(resolution.pods)) {
        const def = ref.chosen;
        if (ref.status !== 'ok' || !def?.resource || def.origin === 'existing-secrets')
            continue;
        let hook;
        const hookPods = [];
        const images = new Set();
        for (const pod of pods) {
            const h = earlyHook(pod.pod.resource);
            if (!h || !createdAfter(pod.pod.resource, h, def.resource))
                continue;
            // The images that no secret existing by then covers.
            const missing = (d) => d.resource !== undefined && d.origin !== 'existing-secrets' && createdAfter(pod.pod.resource, h, d.resource);
            const lost = pod.images.filter((i) => i.coveredBy.includes(def) && i.coveredBy.every(missing));
            if (lost.length === 0)
                continue;
            hook ??= h;
            hookPods.push(pod);
            for (const i of lost)
                images.add(i.image);
        }
        if (!hook)
            continue;
        const shown = imagesSubject([...images]);
        yield {
            message: `${refHolderLabel(ref)} references pull secret "${ref.name}" (used by ${podsLabel(hookPods)}, ${hook.what}), but ${def.label} is not one (or one of a higher weight), so ${hook.by} creates it only after the hook has run: on the first install ${shown} pulled without it, and the install waits on the hook until it fails; make ${def.label} ${hook.fix}.`,
            fix: `Make ${def.label} ${hook.fix}.`,
            location: locationAt(ref.holder, refNamePath(ref)),
            resource: ref.holder,
            related: secretRelated(def, `${def.label} is created after the hook`),
            pods: hookPods,
            key: `${ref.entryPath.join('.')}=${ref.name}/hook`,
        };
    }
}

;// CONCATENATED MODULE: ./build/rules/pull-secret-ref-extra-field.js

const pullSecretRefExtraField = {
    meta: {
        id: 'pull-secret-ref-extra-field',
        severity: 'warning',
        description: 'An imagePullSecrets entry carries fields other than name (e.g. namespace), which are silently dropped.',
        rationale: 'imagePullSecrets entries are LocalObjectReferences: only name exists. A namespace: field is pruned by the API server; the secret is still looked up in the pod\'s namespace.',
        remediation: 'Keep only name:, and put the Secret in the pod\'s namespace.',
        example: `spec:
  imagePullSecrets:
    - name: regcred
      namespace: shared   # dropped: the pod's namespace is used`,
    },
    *check({ resolution }) {
        for (const [ref, pods] of effectiveRefs(resolution.pods)) {
            for (const field of ref.extraFields) {
                const ns = pods[0].pod.namespace;
                yield {
                    message: `${refHolderLabel(ref)} gives pull secret reference "${ref.name}" a "${field}" field (used by ${podsLabel(pods)}), which the API server drops: only name is kept and the Secret is read from namespace ${ns}; remove "${field}".`,
                    fix: `Remove "${field}" from the imagePullSecrets entry.`,
                    location: locationAt(ref.holder, refNamePath(ref)),
                    related: [{ message: `the dropped "${field}" field`, location: locationAt(ref.holder, [...ref.entryPath, field], true) }],
                    resource: ref.holder,
                    pods,
                    key: `${ref.entryPath.join('.')}.${field}`,
                };
            }
        }
    },
};

;// CONCATENATED MODULE: ./build/rules/pull-secret-wrong-type.js

const pullSecretWrongType = {
    meta: {
        id: 'pull-secret-wrong-type',
        severity: 'error',
        description: 'A referenced pull secret is ignored by the kubelet: its type is not dockerconfigjson/dockercfg, or type and data key do not agree (a warning when the pod still pulls every image).',
        rationale: 'MakeDockerKeyring uses a secret only when type is kubernetes.io/dockerconfigjson with a .dockerconfigjson key, or kubernetes.io/dockercfg with a .dockercfg key. Everything else (Opaque holding .dockerconfigjson included) is skipped silently.',
        remediation: 'Set type: kubernetes.io/dockerconfigjson with the key .dockerconfigjson (kubectl create secret docker-registry does both).',
        example: `apiVersion: v1
kind: Secret
metadata: {name: regcred, namespace: app}
type: Opaque          # the kubelet ignores it
data:
  .dockerconfigjson: eyJhdXRocyI6e319`,
    },
    *check({ resolution }) {
        for (const [ref, pods] of effectiveRefs(resolution.pods)) {
            if (ref.status !== 'wrong-type' || !ref.chosen || !ref.evaluation || ref.evaluation.usable)
                continue;
            const def = ref.chosen;
            // The `type:` when it is written; else the object (an ExternalSecret without a template type).
            const typed = def.typePath !== undefined;
            const related = def.resource ? [{ message: typed ? `${def.label} type` : def.label, location: locationAt(def.resource, ref.evaluation.path ?? ['metadata', 'name']) }] : [];
            // Where the type is set: an operator's object sets it in its template; a copy that reflector
            // or kubernetes-replicator pushes takes its source's.
            const producer = producerOf(def);
            const of = producer !== def ? ` on its source ${producer.label}` : '';
            const remedy = ref.evaluation.remedy ??
                (producer.origin === 'SealedSecret'
                    ? `set spec.template.type kubernetes.io/dockerconfigjson${of} and seal a .dockerconfigjson key`
                    : producer.origin === 'ExternalSecret' || producer.origin === 'ClusterExternalSecret'
                        ? `set the target template's type kubernetes.io/dockerconfigjson${of} (spec.target.template.type) with a .dockerconfigjson key in its data`
                        : `set type kubernetes.io/dockerconfigjson with a .dockerconfigjson key${of}`);
            // A warning, as for pull-secret-not-found, when the pod pulls every image all the same.
            const still = stillPullsWithout(pods);
            // The API server and the kubelet see the Secret an operator's object makes, not the object.
            const made = def.origin === 'SealedSecret' || def.origin === 'ExternalSecret' || def.origin === 'ClusterExternalSecret';
            const secret = made && !def.label.includes("'s Secret ") ? `the Secret that ${def.label} makes` : def.label;
            yield {
                message: `${refHolderLabel(ref)} references pull secret "${ref.name}" (used by ${podsLabel(pods)}), but ${ref.evaluation.refused ? `the API server rejects ${secret}, so it never exists,` : `the kubelet ignores ${secret}`} because ${ref.evaluation.detail}; ${still ? `the pod still pulls (${still})` : `${imagesAtRisk(pods)} pulled without it`}; ${remedy}.`,
                ...(still ? { severity: 'warning' } : {}),
                fix: asSentence(remedy),
                location: locationAt(ref.holder, refNamePath(ref)),
                resource: ref.holder,
                related,
                pods,
                key: `${ref.entryPath.join('.')}=${ref.name}`,
            };
        }
    },
};

;// CONCATENATED MODULE: ./build/rules/registry-not-covered.js
// registry-not-covered: the pod has usable pull secrets, but no key of theirs matches the image's registry.



const registryNotCovered = {
    meta: {
        id: 'registry-not-covered',
        severity: 'error',
        description: 'The pod\'s usable pull secrets have no registry key that covers the image.',
        rationale: 'The kubelet looks the normalised repository up in a keyring built from the pod\'s secrets: same port, same number of host labels, `*` only inside one label, the key\'s path a prefix of the image path, and `index.docker.io` only as the Docker Hub fallback. No match means an anonymous pull.',
        remediation: 'Add an auths entry for the image\'s registry (exactly as the kubelet matches it) to one of the pod\'s pull secrets, or add a secret for that registry.',
        example: `# Secret has auths for "https://index.docker.io/v1" (no trailing slash): stored as index.docker.io/v1, never matches Docker Hub
containers:
  - name: app
    image: acme/app:1.0`,
    },
    *check({ resolution }) {
        for (const pod of resolution.pods) {
            for (const img of pod.images) {
                if (img.status !== 'not-covered' || !img.ref)
                    continue;
                const r = pod.pod.resource;
                const keys = img.availableKeys.map((k) => k.key).filter((k) => k !== undefined);
                const secrets = [...new Set(img.availableKeys.map((k) => k.secret))];
                const invalid = img.availableKeys.filter((k) => k.key === undefined).map((k) => `"${shownKey(k.rawKey)}"`);
                let nearest;
                const hub = keys.length ? hubHost(img.image, img.ref, keys) : undefined;
                const emptyCover = img.availableKeys.find((k) => k.empty && k.key !== undefined && keyCovers(k.key, img.ref.name));
                // A key that matches with credentials the registry refuses (a line break ends the password).
                const refusedCover = emptyCover ? undefined : img.availableKeys.find((k) => k.refused !== undefined && k.key !== undefined && keyCovers(k.key, img.ref.name));
                if (refusedCover) {
                    nearest = `its key ${shownNormalizedKey(refusedCover.rawKey, refusedCover.key)}${registry_not_covered_writtenAs(refusedCover.rawKey, refusedCover.key)} in ${refusedCover.secret.name} matches, but ${refusedCover.refused}`;
                }
                else if (emptyCover) {
                    const written = registry_not_covered_writtenAs(emptyCover.rawKey, emptyCover.key);
                    const why = emptyCover.tokenOnly
                        ? 'holds only an identitytoken or registrytoken, which the kubelet never reads'
                        : "holds no credentials (as in a workstation's Docker config, whose credsStore keeps them)";
                    nearest = `its key ${shownNormalizedKey(emptyCover.rawKey, emptyCover.key)}${written} in ${emptyCover.secret.name} matches, but its entry ${why}, so the kubelet pulls with an empty one, which a private registry refuses`;
                }
                else if (hub !== undefined) {
                    // `myhost/app`: the key names the host meant, but the reference names Docker Hub.
                    const key = hub;
                    const entry = img.availableKeys.find((k) => k.key === key);
                    const hostPort = key.split('/')[0];
                    // The key matches an image written with its host and port as it names them; a key of a
                    // lone label without a port matches no image that is not Docker Hub's (no dot, no port).
                    // With a path in the key (myhost:5000/team), the image's path must start with it too.
                    const keyPath = key.slice(hostPort.length);
                    const fix = hostPort.includes(':')
                        ? keyPath === '' || keyPath === '/'
                            ? `write the image as ${hostPort}/${img.image.slice(img.image.indexOf('/') + 1)}`
                            : `write the image with the key's host, port and path (${hostPort}${keyPath.replace(/\/$/, '')}/…)`
                        : `name the registry's real host (with a dot or a port) in both the image and the key, as the kubelet matches the same host labels and port`;
                    nearest =
                        `${img.image} is a Docker Hub image (${img.ref.name}): a first part without a dot or a port, other than localhost, names a Docker Hub account, not a registry, ` +
                            `so the key ${shownNormalizedKey(entry.rawKey, key)} in ${entry.secret.name} never matches it; ${fix}`;
                }
                else if (keys.length) {
                    const near = nearestKey(keys, img.ref.name) ?? keys[0];
                    const nearEntry = img.availableKeys.find((k) => k.key === near);
                    const shown = shownNormalizedKey(nearEntry.rawKey, near);
                    nearest =
                        shown === near
                            ? `the nearest, ${near}${registry_not_covered_writtenAs(nearEntry.rawKey, near)} in ${nearEntry.secret.name}, misses because ${explainMiss(near, img.ref.name)}`
                            : `the nearest, ${shown} in ${nearEntry.secret.name}, misses because url.Parse reads part of its password as the registry's address (a /, ? or # in the password ends the host there)`;
                }
                else {
                    nearest = `its only keys (${invalid.join(', ')}) are not valid registry keys, so the kubelet skips them`;
                }
                // Checked only because the pod lists pull secrets: a public image is then listed as public.
                // (Not when a key matches it: credentials for it were meant to be there.)
                const publicPattern = img.reason === EXPLICIT_LIST_REASON && !emptyCover && !refusedCover && hub === undefined ? repositoryPattern(img.ref) : undefined;
                const orPublic = publicPattern ? `, or, if the image is public (it is checked only because its pod lists pull secrets), add ${publicPattern} to public-registries` : '';
                yield {
                    ...(img.cachedBy ? { severity: 'warning' } : {}),
                    message: (refusedCover
                        ? `${containerLabel(img)} in namespace ${pod.pod.namespace} ${pullsVerb(img)} ${img.image} (registry ${registryOf(img)}), but no credential of its pull secrets (${secrets.map((s) => s.name).join(', ')}) is one the registry accepts: ${nearest}${publicToo(img.classification)}; encode the credentials again without it (kubectl create secret docker-registry, or printf '%s' user:password | base64).`
                        : emptyCover
                            ? `${containerLabel(img)} in namespace ${pod.pod.namespace} ${pullsVerb(img)} ${img.image} (registry ${registryOf(img)}), but no credential of its pull secrets (${secrets.map((s) => s.name).join(', ')}) covers it: ${nearest}; put the registry's username and password (or auth) in that entry${orPublic}.`
                            : `${containerLabel(img)} in namespace ${pod.pod.namespace} ${pullsVerb(img)} ${img.image} (registry ${registryOf(img)}), but no key of its pull secrets (${secrets.map((s) => s.name).join(', ')}) covers it: ${nearest}${hub === undefined ? `; add an auths entry for ${registryOf(img)}${orPublic}` : ''}.`) + cachedNote(img),
                    fix: hub !== undefined
                        ? "Write the image with its registry's host name (with a dot or a port), and the pull secret's key as the image names it."
                        : refusedCover
                            ? `Encode ${refusedCover.secret.name}'s credentials for ${shownNormalizedKey(refusedCover.rawKey, refusedCover.key)} again without the line break.`
                            : publicPattern
                                ? `Add an auths entry for ${registryOf(img)} to a pull secret of the pod, or add ${publicPattern} to public-registries if the image is public.`
                                : `Add an auths entry for ${registryOf(img)} to a pull secret of the pod.`,
                    location: imageLocation(r, img.use),
                    resource: r,
                    related: secrets.flatMap((s) => secretRelated(s, `${s.label} has keys ${keysOf(s, img.availableKeys)}`)),
                    container: img.use.name,
                    image: img.image,
                    pods: [pod],
                    key: `${img.use.slot}/${img.use.name}`,
                };
            }
        }
    },
};
/**
 * The key whose host an image names as its first part, when that part made the image a Docker Hub
 * one instead (`myhost/app:1` is docker.io/myhost/app: no dot, no port, not localhost): the
 * registry was meant. Undefined otherwise.
 */
function hubHost(written, ref, keys) {
    const slash = written.indexOf('/');
    if (ref.domain !== 'docker.io' || slash <= 0)
        return undefined;
    const first = written.slice(0, slash);
    if (first === 'docker.io' || first === 'index.docker.io' || first === 'registry-1.docker.io')
        return undefined;
    const lower = first.toLowerCase();
    return keys.find((k) => {
        const host = k.split('/')[0].split(':')[0].toLowerCase();
        return host === lower;
    });
}
/** Why a public image fails too: its pull is not anonymous. */
function publicToo(classification) {
    return classification === 'public' ? ' (the image is public, but the kubelet pulls it with the credentials that match it, and not anonymously when they fail)' : '';
}
/** The pattern of an image's repository owner: `docker.io/bitnami/`, `quay.io/prometheus/` (`host/app` for a one-part path). */
function repositoryPattern(ref) {
    const parts = ref.path.split('/');
    // A pattern's path is a plain prefix: `quay.io/prometheus` would also cover `quay.io/prometheus-x`,
    // so an owner with repositories below it ends with its slash.
    const owner = parts.length > 1 ? `${parts[0]}/` : parts[0];
    return ref.domain ? `${ref.domain}/${owner}` : owner;
}
/** ` (written "…")` when the raw key differs from its normalised form, its userinfo secret hidden. */
function registry_not_covered_writtenAs(rawKey, key) {
    return rawKey !== key ? ` (written "${shownKey(rawKey)}")` : '';
}
/** How many of a secret's keys a related location names; the rest are counted. */
const MAX_KEYS_SHOWN = 10;
const keysShown = new WeakMap();
/** A secret's keys as a related location names them (made once per secret: every image it does not cover names them). */
function keysOf(secret, available) {
    let shown = keysShown.get(secret);
    if (shown === undefined) {
        const keys = available.filter((k) => k.secret === secret);
        const names = keys.slice(0, MAX_KEYS_SHOWN).map((k) => (k.key === undefined ? `"${shownKey(k.rawKey)}" (invalid)` : shownNormalizedKey(k.rawKey, k.key)));
        shown = `${names.join(', ')}${keys.length > MAX_KEYS_SHOWN ? ` and ${keys.length - MAX_KEYS_SHOWN} more` : ''}`;
        keysShown.set(secret, shown);
    }
    return shown;
}

;// CONCATENATED MODULE: ./build/rules/sa-pull-secrets-shadowed.js
// sa-pull-secrets-shadowed: the pod's own list replaces its ServiceAccount's, which would have covered the image.



const saPullSecretsShadowed = {
    meta: {
        id: 'sa-pull-secrets-shadowed',
        severity: 'error',
        description: 'The pod\'s own imagePullSecrets replace its ServiceAccount\'s, and the ServiceAccount\'s would have covered an image the pod\'s list does not.',
        rationale: 'The ServiceAccount admission plugin copies the ServiceAccount\'s pull secrets only when the pod lists none; it never merges the two lists (TestDoNotAddImagePullSecrets). A pod that lists one secret loses all of its ServiceAccount\'s.',
        remediation: 'Add the ServiceAccount\'s secret to the pod\'s imagePullSecrets, or remove the pod\'s list so the ServiceAccount\'s applies.',
        example: `# ServiceAccount app-sa lists ghcr-secret; the pod lists only dockerhub-secret
spec:
  serviceAccountName: app-sa
  imagePullSecrets: [{name: dockerhub-secret}]
  containers:
    - {name: app, image: ghcr.io/acme/app:1.0}`,
    },
    *check({ resolution }) {
        for (const pod of resolution.pods) {
            for (const img of pod.images) {
                if (img.status !== 'shadowed')
                    continue;
                const r = pod.pod.resource;
                const names = img.shadowedBy.map((s) => s.name).join(', ');
                const own = pod.podRefs.map((x) => x.name || '""').join(', ');
                // Removing the pod's list is a fix only when the ServiceAccount's list covers every other image the pod's covers.
                const needed = pod.images.filter((i) => i !== img && i.status === 'ok' && i.ref !== undefined && i.coveredBy.length > 0 && coverage(pod.saRefs, i.ref.name).coveredBy.length === 0);
                const alternative = needed.length
                    ? ` (removing the pod's list would lose ${needed[0].coveredBy[0].name}, which ${needed[0].image} is pulled with)`
                    : ' or remove the pod\'s list';
                yield {
                    message: `${containerLabel(img)} in namespace ${pod.pod.namespace} pulls ${img.image}, which ServiceAccount ${pod.saName}'s pull secret ${names} would cover, but the pod's own imagePullSecrets (${own}) replace the ServiceAccount's list; add ${names} to the pod's imagePullSecrets${alternative}.`,
                    fix: `Add ${names} to the pod's imagePullSecrets.`,
                    location: imageLocation(r, img.use),
                    resource: r,
                    related: [
                        { message: `the pod's own imagePullSecrets`, location: locationAt(r, [...pod.pod.path, 'imagePullSecrets'], true) },
                        ...serviceAccountRelated(pod, `ServiceAccount ${pod.pod.namespace}/${pod.saName} lists ${names}`),
                        ...img.shadowedBy.flatMap((s) => secretRelated(s)),
                    ],
                    container: img.use.name,
                    image: img.image,
                    pods: [pod],
                    key: `${img.use.slot}/${img.use.name}`,
                };
            }
        }
    },
};

;// CONCATENATED MODULE: ./build/rules/service-account-not-found.js
// service-account-not-found: the pod names a ServiceAccount that is not declared; admission rejects the pod.


const serviceAccountNotFound = {
    meta: {
        id: 'service-account-not-found',
        severity: 'error',
        description: 'A non-default ServiceAccount is named but not declared in the pod\'s namespace.',
        rationale: 'The ServiceAccount admission plugin rejects a pod whose ServiceAccount does not exist (403: error looking up service account). A controller keeps failing to create its pods; nothing runs, and no pull secret of that ServiceAccount applies.',
        remediation: 'Declare the ServiceAccount in the same namespace, fix the name, or list it in existing-service-accounts when it is created outside these manifests.',
        example: `spec:
  template:
    spec:
      serviceAccountName: app-sa   # no ServiceAccount app-sa in this namespace`,
    },
    *check({ resolution, graph }) {
        for (const pod of resolution.pods) {
            // A hook that runs before its chart's objects exist: a ServiceAccount among them is not there yet on the first install.
            const hook = pod.sa?.origin === 'manifest' && pod.saName !== 'default' && pod.saPath ? earlyHook(pod.pod.resource) : undefined;
            if (hook && pod.sa?.resource && createdAfter(pod.pod.resource, hook, pod.sa.resource)) {
                const r = pod.pod.resource;
                const sa = `ServiceAccount ${pod.sa.namespace}/${pod.sa.name}`;
                yield {
                    message: `${describe(r)} is ${hook.what} and names ${sa}, which is not one (or one of a higher weight), so ${hook.by} creates it only after the hook has run: on the first install the API server rejects the hook's pods (the ServiceAccount does not exist yet), and the install fails; make ${sa} ${hook.fix}.`,
                    fix: `Make ${sa} ${hook.fix}.`,
                    location: locationAt(r, pod.saPath),
                    resource: r,
                    related: [{ message: `${sa} is created after the hook`, location: locationAt(pod.sa.resource, ['metadata', 'name']) }],
                    pods: [pod],
                    key: 'serviceAccountName/hook',
                };
                continue;
            }
            // A hook deleted once its hooks succeed is gone before the release's pods (or a later event's) are made.
            const deleted = pod.sa?.origin === 'manifest' && pod.saName !== 'default' && pod.saPath && pod.sa.resource ? goneFor(pod.pod.resource, pod.sa.resource) : undefined;
            if (deleted && pod.sa?.resource) {
                const r = pod.pod.resource;
                const sa = `ServiceAccount ${pod.sa.namespace}/${pod.sa.name}`;
                const fix = `drop ${deleted.policy} from ${sa}'s ${deleted.annotation} (or make it no hook: no ${deleted.hookAnnotation})`;
                yield {
                    message: `${describe(r)} names ${sa}, ${deleted.by === 'Helm' ? 'a Helm' : 'an Argo CD'} hook that ${deleted.by} deletes ${deleted.when} (${deleted.annotation}: ${deleted.value}), ` +
                        (deleted.by === 'Helm'
                            ? `and ${describe(r)} is no hook of its events: the API server rejects its pods (the ServiceAccount no longer exists); ${fix}.`
                            : `and ${describe(r)} is no hook: after the sync the API server rejects its new pods (the ServiceAccount no longer exists); ${fix}.`),
                    fix: `${fix[0].toUpperCase()}${fix.slice(1)}.`,
                    location: locationAt(r, pod.saPath),
                    resource: r,
                    related: [{ message: `${sa} is deleted ${deleted.when}`, location: locationAt(pod.sa.resource, ['metadata', 'name']) }],
                    pods: [pod],
                    key: 'serviceAccountName/deleted',
                };
                continue;
            }
            if (pod.sa || pod.saName === 'default' || !pod.saPath)
                continue;
            const r = pod.pod.resource;
            const ns = pod.pod.namespace;
            const refused = graph.refusedServiceAccount(ns, pod.saName);
            if (refused) {
                yield {
                    message: `${describe(r)} names ServiceAccount ${pod.saName}, declared in namespace ${ns}, but ${refused.rejected.detail}, and admission rejects the pods of a ServiceAccount that does not exist; correct that field.`,
                    fix: `Correct ServiceAccount ${ns}/${pod.saName} so that the API server accepts it.`,
                    location: locationAt(r, pod.saPath),
                    resource: r,
                    related: [{ message: `ServiceAccount ${ns}/${pod.saName}`, location: locationAt(refused.resource, refused.rejected.path) }],
                    pods: [pod],
                    key: 'serviceAccountName',
                };
                continue;
            }
            const elsewhere = graph.serviceAccountsNamed(pod.saName).filter((s) => s.namespace !== ns && !s.rejected);
            const hint = elsewhere.length ? ` (one exists in namespace ${elsewhere.map((s) => s.namespace).join(', ')}, but a pod can only use its own namespace's)` : '';
            yield {
                message: `${describe(r)} names ServiceAccount ${pod.saName}, which is not declared in namespace ${ns}${hint}; the API server rejects its pods, so declare ServiceAccount ${ns}/${pod.saName} or list it in existing-service-accounts.`,
                fix: `Declare ServiceAccount ${pod.saName} in namespace ${ns}.`,
                location: locationAt(r, pod.saPath),
                resource: r,
                related: elsewhere.filter((s) => s.resource).map((s) => ({ message: `ServiceAccount ${s.namespace}/${s.name}`, location: locationAt(s.resource, ['metadata', 'name']) })),
                pods: [pod],
                key: 'serviceAccountName',
            };
        }
    },
};

;// CONCATENATED MODULE: ./build/rules/unrendered-template.js
// unrendered-template: a file that should be rendered output but is still a source to render: Helm/Go
// template markers, or a kustomize kustomization.



const unrenderedTemplate = {
    meta: {
        id: 'unrendered-template',
        severity: 'warning',
        description: 'A file still contains Helm/Go template markers ({{ … }}), or is a kustomize kustomization: render it first.',
        rationale: 'pullcheck checks what reaches the cluster: the rendered manifests. A template is not that, and usually does not even parse as YAML. The files a kustomization lists are read as written, without the namespace, image names and tags, name prefixes and generated Secrets that kustomize build gives them.',
        remediation: 'Run helm template or kustomize build and point pullcheck at the output, or exclude the sources with a !glob.',
        example: `image: {{ .Values.image.repository }}:{{ .Values.image.tag }}`,
    },
    *check({ graph }) {
        const kustomizations = new Map();
        for (const r of graph.resources)
            if (isKustomization(r) && !kustomizations.has(r.file))
                kustomizations.set(r.file, r);
        for (const file of graph.files) {
            for (const p of file.problems) {
                if (p.kind !== 'template')
                    continue;
                yield {
                    message: `${file.path} still contains Helm/Go template markers ({{ … }}), so it is a template rather than rendered manifests; render it with helm template or kustomize build and check the output, or exclude it with a !glob.`,
                    fix: 'Render the template and check the output, or exclude it.',
                    location: spanLocation(file, p.span),
                    key: 'template',
                };
            }
            const at = kustomizationAt(file, kustomizations.get(file));
            if (at) {
                const dir = external_node_path_.posix.dirname(file.path);
                yield {
                    message: `${file.path} is a kustomize kustomization: the manifests it builds are read as written, without the namespace, images, name prefixes and suffixes, patches and generated Secrets that kustomize build gives them, so their pull secrets and images may not be those that reach the cluster; run kustomize build ${dir} and check its output, or exclude the kustomize sources with a !glob.`,
                    fix: `Run kustomize build ${dir} and check the output, or exclude the kustomize sources.`,
                    location: at,
                    key: 'kustomization',
                };
            }
        }
    },
};
/** kustomize's own kinds (kustomize.config.k8s.io), not Flux's Kustomization (kustomize.toolkit.fluxcd.io), which is a cluster object. */
function isKustomization(r) {
    return (r.kind === 'Kustomization' || r.kind === 'Component') && r.apiVersion.startsWith('kustomize.config.k8s.io/');
}
const KUSTOMIZATION_FILE = /(^|\/)kustomization\.ya?ml$/;
/**
 * Where a file is a kustomization: at its kind when it declares one; else, for a file named
 * kustomization.yaml (kustomize does not need apiVersion and kind) whose documents are no
 * Kubernetes objects, at its first document.
 */
function kustomizationAt(file, declared) {
    if (declared)
        return locationAt(declared, ['kind']);
    if (!KUSTOMIZATION_FILE.test(file.path))
        return undefined;
    const docs = file.parsed?.documents ?? [];
    const first = docs.find((d) => d.value !== null && typeof d.value === 'object' && !Array.isArray(d.value));
    if (!first || docs.some((d) => isKubernetesObject(d.value)))
        return undefined;
    const start = first.span.start;
    const lineEnd = file.text.indexOf('\n', start);
    return spanLocation(file, { start, end: lineEnd === -1 || lineEnd > first.span.end ? first.span.end : lineEnd });
}
function isKubernetesObject(v) {
    if (v === null || typeof v !== 'object' || Array.isArray(v))
        return false;
    const o = v;
    return typeof o.apiVersion === 'string' && typeof o.kind === 'string';
}

;// CONCATENATED MODULE: ./build/rules/unused-pull-secret.js
// unused-pull-secret: a docker-config secret that no pod and no ServiceAccount references.






const unusedPullSecret = {
    meta: {
        id: 'unused-pull-secret',
        severity: 'notice',
        description: 'A docker-config secret is referenced by no pod and no ServiceAccount.',
        rationale: 'An unreferenced pull secret is either dead weight (credentials kept for nothing) or the sign of a reference with a typo somewhere else.',
        remediation: 'Reference it from the pods or ServiceAccount that need it, or delete it.',
        example: `apiVersion: v1
kind: Secret
metadata: {name: old-regcred, namespace: app}
type: kubernetes.io/dockerconfigjson`,
    },
    *check({ graph, resolution }) {
        const referencedNames = new Set();
        for (const k of resolution.referencedSecrets)
            referencedNames.add(k.slice(k.indexOf('/') + 1));
        const sources = new Set(graph.secretDefs.map((d) => d.source).filter((s) => s !== undefined));
        const unused = graph.secretDefs.filter((def) => {
            // One the API server refuses never exists: not unused, and nothing to reference.
            if (!def.resource || def.namespace === '*' || def.source || def.rejected || !isPullSecretType(def))
                return false;
            if (resolution.referencedSecrets.has(`${def.namespace}/${def.name}`))
                return false;
            if (resolution.referencedElsewhere.has(def.name) || sources.has(def))
                return false;
            // Replicated to other namespaces: used if referenced by name anywhere.
            return !(graph.secretDefs.some((d) => d.source === def) && referencedNames.has(def.name));
        });
        if (unused.length === 0)
            return;
        const misplaced = misplacedByName(graph, new Set(unused.map((def) => def.namespace)));
        // The references to missing secrets, by namespace: one may be a misspelling of an unused name.
        const missing = new Map();
        for (const [ref, pods] of effectiveRefs(resolution.pods))
            if (ref.status === 'not-found')
                push(missing, pods[0].pod.namespace, ref);
        // Their names, one array per namespace: nearest() keeps what it computes of an array.
        const suggest = budgetedNearest();
        const missingNames = new Map([...missing].map(([ns, refs]) => [ns, refs.map((r) => r.name)]));
        for (const def of unused) {
            const named = misplaced.get(`${def.namespace}/${def.name}`) ?? [];
            const refs = missing.get(def.namespace) ?? [];
            const typo = named.length ? undefined : suggest(def.name, missingNames.get(def.namespace) ?? []);
            const misspelt = typo === undefined ? undefined : refs.find((r) => r.name === typo);
            const shown = named.slice(0, 3).map((m) => m.at);
            if (named.length > 3)
                shown.push(`${named.length - 3} more`);
            const where = named.length ? `, only where Kubernetes never reads it (${shown.join(', ')})` : '';
            const todo = named.length
                ? `move ${named.length > 1 ? 'those references where Kubernetes reads them' : 'that reference where Kubernetes reads it'}`
                : misspelt
                    ? `${refHolderLabel(misspelt)} references "${misspelt.name}", which does not exist: a misspelling of this name?`
                    : 'reference it where it is needed or delete it';
            yield {
                message: `${def.label} (${def.type}) is referenced by no pod and no ServiceAccount in namespace ${def.namespace}${where}; ${todo}${misspelt ? '' : '.'}`,
                fix: named.length ? 'Move the reference where Kubernetes reads it.' : misspelt ? `Fix the name "${misspelt.name}" in ${refHolderLabel(misspelt)}.` : 'Reference it from a pod or ServiceAccount, or delete it.',
                location: locationAt(def.resource, def.namePath ?? ['metadata', 'name']),
                resource: def.resource,
                related: misspelt
                    ? [{ message: `"${misspelt.name}" referenced by ${refHolderLabel(misspelt)}`, location: locationAt(misspelt.holder, refNamePath(misspelt)) }]
                    : named.map((m) => ({ message: m.label, location: locationAt(m.holder, m.path, true) })),
                key: `${def.origin}/${def.namespace}/${def.name}`,
            };
        }
    },
};
/** `namespace/name` → the lists in `namespaces` that name it where Kubernetes never reads them. */
function misplacedByName(graph, namespaces) {
    const index = new Map();
    const add = (namespace, m) => {
        for (const n of namesIn(m))
            push(index, `${namespace}/${n}`, m);
    };
    for (const pod of graph.podSpecs)
        if (namespaces.has(pod.namespace))
            for (const m of misplacedInPod(pod))
                add(pod.namespace, m);
    for (const r of graph.resources) {
        if (r.kind !== 'ServiceAccount' || r.namespace === undefined || !namespaces.has(r.namespace))
            continue;
        for (const m of misplacedInServiceAccountOf(graph, r))
            add(r.namespace, m);
    }
    return index;
}

;// CONCATENATED MODULE: ./build/rules/yaml-syntax-error.js
// yaml-syntax-error: a file (or one document of it) that cannot be read or parsed.


const yamlSyntaxError = {
    meta: {
        id: 'yaml-syntax-error',
        severity: 'error',
        description: 'A file or object cannot be read or decoded (YAML syntax, bytes that are not UTF-8, a binary file, a name that YAML reads as a boolean), at the reported position; the rest is still checked.',
        rationale: 'kubectl and GitOps controllers refuse the file; nothing in the broken document is applied, and pullcheck cannot check it.',
        remediation: 'Fix the YAML at the reported position.',
        example: `containers:
  - name: app
     image: nginx   # bad indentation`,
    },
    *check({ graph }) {
        for (const file of graph.files) {
            for (const p of file.problems) {
                if (p.kind !== 'syntax')
                    continue;
                const location = spanLocation(file, onLastLine(file.text, p.span));
                yield {
                    message: `${file.path}: ${p.message}; ${p.fix ?? 'fix the file so it parses (kubectl would reject it too)'}.`,
                    fix: p.fix ? asSentence(p.fix) : 'Fix the YAML at this position.',
                    location,
                    key: `syntax:${p.message}`,
                };
            }
        }
    },
};
/**
 * An error at the end of the stream (an unclosed quote or bracket) sits after the file's final line
 * break, on a line that editors and GitHub do not show: it is placed at the end of the last line.
 */
function onLastLine(text, span) {
    if (span.start < text.length || !text.endsWith('\n'))
        return span;
    const end = text.length - (text.endsWith('\r\n') ? 2 : 1);
    return { start: end, end };
}

;// CONCATENATED MODULE: ./build/rules/registry.js


















const RULES = [
    noPullSecret,
    pullSecretNotFound,
    pullSecretInOtherNamespace,
    pullSecretWrongType,
    pullSecretMalformed,
    registryNotCovered,
    serviceAccountNotFound,
    pullSecretNotAllowed,
    saPullSecretsShadowed,
    pullSecretEmptyName,
    pullSecretRefExtraField,
    invalidImageReference,
    authOnlyRegistry,
    credentialsInRepo,
    passwordNotToken,
    unusedPullSecret,
    yamlSyntaxError,
    unrenderedTemplate,
];
/**
 * Rules beyond SPEC §6's table, each for a failure SEMANTICS.md states and no rule of the table
 * covers (proposed for the table; ids as stable as the others).
 */
const EXTENSION_RULE_IDS = (/* unused pure expression or super */ null && (['pull-secret-not-allowed']));
/** Rules of SPEC §6 that only the registry probe (not built yet) can fire. */
const PROBE_RULE_IDS = ['image-not-found', 'registry-unauthorized', 'registry-unreachable'];
const RULE_IDS = RULES.map((r) => r.meta.id);
/** The rule ids the config file's `rules:` may name: every rule, and the probe's (stable ids, SPEC §6). */
const CONFIGURABLE_RULE_IDS = [...RULE_IDS, ...PROBE_RULE_IDS];
/** Settings of rules that cannot fire yet, said rather than ignored (`off` agrees with them). */
function inactiveRuleWarnings(rules) {
    return PROBE_RULE_IDS.filter((id) => rules[id] !== undefined && rules[id] !== 'off').map((id) => `rules.${id} is set to ${rules[id]}, but the registry probe that reports ${id} is not built yet in this version: the setting has no effect.`);
}
function ruleById(id) {
    return RULES.find((r) => r.meta.id === id);
}

;// CONCATENATED MODULE: ./build/findings/fingerprint.js
// Stable fingerprints: what is blamed (rule, file, object, logical field), never line numbers.
// node:crypto is loaded on the first fingerprint, not at start-up (2.5–4 ms of it).
let hash;
/** The first 32 hex digits of the SHA-256 of the parts joined by NUL (one-shot: no Hash object per finding). */
function fingerprint(parts) {
    hash ??= process.getBuiltinModule('node:crypto').hash;
    return hash('sha256', parts.map((p) => p ?? '').join('\u0000'), 'hex').slice(0, 32);
}

;// CONCATENATED MODULE: ./build/findings/suppress.js
// Suppressions in the manifests: the `pullcheck.dev/ignore` annotation on the object, or a
// `# pullcheck-ignore <rule>: <reason>` comment, alone on the line before or at the end of the
// offending line. A reason is required.






const IGNORE_ANNOTATION = 'pullcheck.dev/ignore';
/** A comment's text (from its `#`) that is a pullcheck-ignore directive. */
const DIRECTIVE = /^#\s*pullcheck-ignore\s+([^:]+?)\s*(?::\s*(.*?))?\s*$/;
/** Parses `rule-a,rule-b: reason` into rule ids and the reason. */
function parseIgnore(text) {
    const colon = text.indexOf(':');
    const head = colon === -1 ? text : text.slice(0, colon);
    const reason = colon === -1 ? undefined : text.slice(colon + 1).trim() || undefined;
    const rules = head.split(',').map((s) => s.trim()).filter(Boolean);
    return reason === undefined ? { rules } : { rules, reason };
}
const indexes = new WeakMap();
/**
 * The pullcheck-ignore directive of a line of `file`: a comment alone on it (`whole`), or the
 * comment that ends it. Lines are read only where the file spells the directive, and each line
 * once: a finding must not cost a scan of its line (a one-line JSON file is all one line).
 */
function lineDirective(file, line, whole) {
    let ix = indexes.get(file);
    if (!ix) {
        const at = [];
        for (let i = file.text.indexOf('pullcheck-ignore'); i !== -1; i = file.text.indexOf('pullcheck-ignore', i + 1))
            at.push(i);
        ix = { at, lines: new Map() };
        indexes.set(file, ix);
    }
    const key = whole ? -line : line;
    if (ix.at.length === 0 || line < 1 || ix.lines.has(key))
        return ix.lines.get(key);
    let found;
    const bounds = lineBounds(file, line);
    if (bounds !== undefined) {
        const [start, end] = bounds;
        // The first spelling at or after the line's start, by bisection.
        let lo = 0;
        let hi = ix.at.length;
        while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (ix.at[mid] < start)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < ix.at.length && ix.at[lo] < end) {
            const text = lineText(file, line, bounds);
            found = directive(text, whole);
            if (found) {
                // What looks like a comment inside a scalar (a shell script in a block scalar, a quoted
                // string running over lines) is text. The file's scalars tell, when it parses; else the
                // lines above it (block scalars only).
                const hash = start + (whole ? text.length - text.trimStart().length : text.length - commentOf(text).length);
                const inside = insideScalar(file, hash);
                if (inside ?? (whole && inBlockScalar(file, line)))
                    found = undefined;
            }
        }
    }
    ix.lines.set(key, found);
    return found;
}
/** Start and end (after its line break) of a line (1-based) of `file`, or undefined past its end. */
function lineBounds(file, line) {
    const start = file.positions.offsetOfLine(line);
    return start === undefined ? undefined : [start, file.positions.offsetOfLine(line + 1) ?? file.text.length];
}
/** The text of a line (1-based) of `file`, without its line break (its bounds, when known). */
function lineText(file, line, bounds = lineBounds(file, line)) {
    return bounds && file.text.slice(bounds[0], bounds[1]).replace(/\r?\n$/, '');
}
/**
 * The comment at the end of a YAML line, from its `#`, or undefined: a `#` after a space or a tab
 * (or at the start) outside a quoted scalar, as YAML reads it. A quote opens a scalar only where a
 * scalar can start (after a space, a tab, `[`, `{`, `,` or the `:` of a JSON-style `"key":"value"`,
 * or at the start); a line that ends inside an open quoted scalar has no comment.
 */
function commentOf(line) {
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        const opens = i === 0 || ' \t[{,:'.includes(line[i - 1]);
        if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t'))
            return line.slice(i);
        if (!opens || (c !== '"' && c !== "'"))
            continue;
        let j = i + 1;
        for (; j < line.length; j++) {
            if (c === '"' && line[j] === '\\')
                j++;
            else if (line[j] === c) {
                if (c === "'" && line[j + 1] === "'")
                    j++;
                else
                    break;
            }
        }
        if (j >= line.length)
            return undefined;
        i = j;
    }
    return undefined;
}
/** Per file: the start and end offsets of its scalars written over several lines, in order; null when it does not parse. */
const scalarsByFile = new WeakMap();
/**
 * Whether the offset `at` of `file` lies inside a scalar written over several lines (a block
 * scalar, a quoted or plain scalar running on), as js-yaml reads the file; undefined when the file
 * does not parse. Only files that spell a directive are parsed again, once.
 */
function insideScalar(file, at) {
    let spans = scalarsByFile.get(file);
    if (spans === undefined) {
        spans = multiLineScalars(file.text);
        scalarsByFile.set(file, spans);
    }
    if (spans === null)
        return undefined;
    // The last span that starts before `at` (spans do not nest: scalars hold no nodes).
    let lo = 0;
    let hi = spans.length / 2;
    while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (spans[2 * mid] < at)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo > 0 && at < spans[2 * (lo - 1) + 1];
}
function multiLineScalars(text) {
    // js-yaml drops a BOM that opens its input, and counts its offsets from the character after it.
    const shift = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    const src = shift ? text.slice(1) : text;
    const open = [];
    const out = [];
    const listener = (event, state) => {
        if (event === 'open') {
            open.push(state.position);
            return;
        }
        const opened = open.pop();
        if (opened === undefined || (typeof state.result === 'object' && state.result !== null))
            return;
        // The scalar's text starts past the white space and comments before it (a value on the line
        // after its key), and ends at its last character that is not white space (a block scalar's
        // reader stops past the lines that end it).
        const close = Math.min(state.position, src.length);
        const start = skipSpaceAndComments(src, opened, close);
        // An alias (`*name`) is one word: js-yaml closes it past the comments that follow.
        if (src.charCodeAt(start) === 42)
            return;
        const end = trimBack(src, close, start);
        const nl = src.indexOf('\n', start);
        if (nl !== -1 && nl < end)
            out.push(start + shift, end + shift);
    };
    try {
        yaml.loadAll(src, () => { }, { schema: KUBE_SCHEMA, listener });
    }
    catch {
        return null;
    }
    const pairs = [];
    for (let i = 0; i < out.length; i += 2)
        pairs.push([out[i], out[i + 1]]);
    pairs.sort((a, b) => a[0] - b[0]);
    return Int32Array.from(pairs.flat());
}
/** A block scalar's header: `key: |`, `- >-`, `key: &anchor |2`, with a comment or not. */
const BLOCK_HEADER = /^\s*(?:-\s+)*(?:(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"-][^#]*?|-[^\s#][^#]*?)\s*:\s+)?(?:-\s+)*(?:[&!]\S*\s+)*[|>][1-9+-]{0,2}\s*(?:#.*)?$/;
/**
 * The column a block scalar's content must pass (be more indented than), when `text` is a block
 * scalar's header: the key's column (`- command: |` → the column of `command`), or the last dash's
 * when the scalar is the sequence entry itself (`- |`). Undefined for any other line; a long line
 * (minified JSON) is none, and is not run through the regular expression.
 */
function headerColumn(text) {
    if (text.length > 1000 || !BLOCK_HEADER.test(text))
        return undefined;
    let i = 0;
    while (text[i] === ' ')
        i++;
    let dash = -1;
    while (text[i] === '-' && (text[i + 1] === ' ' || text[i + 1] === '\t')) {
        dash = i;
        i += 2;
        while (text[i] === ' ' || text[i] === '\t')
            i++;
    }
    return '|>&!'.includes(text[i]) && dash >= 0 ? dash : i;
}
const aboveByFile = new WeakMap();
/**
 * Whether `line` (1-based) of `file` lies inside a block scalar: some block scalar header above it
 * has every line down to it (blank lines aside), this one included, more indented than its
 * column. Lexical, as the parsers keep no comments. The walk up is remembered per line, so that a
 * run of sibling lines is walked once, not once per comment.
 */
function inBlockScalar(file, line) {
    const indent = (text) => text.length - text.trimStart().length;
    const own = indent(lineText(file, line) ?? '');
    if (own === 0)
        return false;
    let memo = aboveByFile.get(file);
    if (!memo)
        aboveByFile.set(file, (memo = new Map()));
    const walked = [];
    let top = null;
    for (let n = line - 1; n >= 1; n--) {
        const known = memo.get(n);
        if (known !== undefined) {
            top = known;
            break;
        }
        const text = lineText(file, n);
        if (text === undefined)
            break;
        const header = headerColumn(text);
        const at = indent(text);
        const kind = header !== undefined ? 'header' : text.trim() === '' ? 'blank' : at === 0 || /^(?:---|\.\.\.)(?:\s|$)/.test(text) ? 'end' : 'line';
        walked.push({ n, kind, at: header ?? at });
        if (kind === 'header' || kind === 'end')
            break;
    }
    let found = top;
    for (let k = walked.length - 1; k >= 0; k--) {
        const w = walked[k];
        if (w.kind === 'header')
            found = { header: w.at, least: Infinity };
        else if (w.kind === 'end')
            found = null;
        else if (w.kind === 'line' && found !== null)
            found = { header: found.header, least: Math.min(found.least, w.at) };
        memo.set(w.n, found);
    }
    return found !== null && Math.min(found.least, own) > found.header;
}
/** The pullcheck.dev/ignore annotation of a workload's pod template (spec.template, a CronJob's job template's, a PodTemplate's template). */
function templateIgnore(resource) {
    const path = podSpecPath(resource);
    if (!path || path.length < 2)
        return undefined; // a Pod: its own annotations
    const value = get(resource.obj, [...path.slice(0, -1), 'metadata', 'annotations', IGNORE_ANNOTATION]);
    return typeof value === 'string' ? value : undefined;
}
/** The rules and reason of a pullcheck-ignore comment in `line`; `whole`: only a line of the comment alone. */
function directive(line, whole) {
    const comment = whole ? (/^\s*#/.test(line) ? line.trimStart() : undefined) : commentOf(line);
    const m = comment === undefined ? null : DIRECTIVE.exec(comment);
    return m ? parseIgnore(m[1] + (m[2] !== undefined ? ':' + m[2] : '')) : undefined;
}
/**
 * The suppression that applies to a finding of `ruleId` at `line` of `file` on `resource`, if any:
 * the first entry that names the rule with a reason (annotation entries, then a comment alone on
 * the line before, then a comment at the end of the line); else the first that names it without
 * one, which does not apply (the finding says so). A reasonless entry never hides a reasoned one beside it. When no entry names the rule but
 * one names an id that is not among `known` and is nearest to this rule, that typo is returned
 * (`misspelt`), so that the finding can say why it was not suppressed.
 */
function findSuppression(ruleId, file, line, resource, known = []) {
    let reasonless;
    let misspelt;
    let hinted;
    const consider = (p, by, wildcard) => {
        if (p.rules.includes(ruleId) || (wildcard && p.rules.includes('*'))) {
            if (p.reason)
                return { by, reason: p.reason };
            reasonless ??= { by };
            return undefined;
        }
        if (misspelt === undefined && known.length) {
            const typo = p.rules.find((id) => id !== '*' && !known.includes(id) && nearest(id, known) === ruleId);
            if (typo !== undefined)
                misspelt = { by, misspelt: typo };
        }
        // Forms that mean this rule but do not apply: the reason without its colon, `*` in a comment.
        const unparted = p.rules.find((id) => id !== ruleId && id.split(/\s+/)[0] === ruleId);
        if (hinted === undefined && unparted !== undefined) {
            hinted = { by, hint: `a pullcheck ignore ${by} names "${unparted}", which is no rule: put a colon between the rule and the reason ("${ruleId}: <reason>")` };
        }
        else if (hinted === undefined && !wildcard && p.rules.includes('*')) {
            hinted = { by, hint: `a pullcheck ignore comment names *, which only the ${IGNORE_ANNOTATION} annotation accepts: name the rule ("${ruleId}: <reason>")` };
        }
        return undefined;
    };
    if (resource) {
        // The object's own annotation, then its pod template's (the pods made from it carry that one).
        for (const ann of [annotations(resource)[IGNORE_ANNOTATION], templateIgnore(resource)]) {
            if (ann === undefined)
                continue;
            // Several entries may be separated by `;` or new lines.
            for (const part of ann.split(/[;\n]/)) {
                const found = consider(parseIgnore(part), 'annotation', true);
                if (found)
                    return found;
            }
        }
    }
    if (file) {
        // A comment alone on the line before, then one at the end of the line itself.
        for (const p of [lineDirective(file, line - 1, true), lineDirective(file, line, false)]) {
            const found = p && consider(p, 'comment', false);
            if (found)
                return found;
        }
    }
    return reasonless ?? misspelt ?? hinted;
}

;// CONCATENATED MODULE: ./build/analyze.js
// The only orchestration: discover → read → parse → graph → resolve → rules → findings.
// Pure apart from reading the manifest files; no @actions/*, no terminal.















/**
 * Reads the files the options select and analyses them, with `extra` sources already loaded
 * (the CLI's standard input) beside them.
 */
async function analyze(options, extra = []) {
    // pullcheck's own files: its configuration, and the reports an earlier run left (a JSON report
    // quotes the manifests, template markers included).
    const exclude = [options.config, options.sarifFile, options.reportFile].filter((f) => f !== undefined);
    const { files, skipped, unmatched, excludedOnly } = await discover(options.manifests, options.workingDirectory, exclude);
    // Read and parse (across worker threads when the input is large): the same SourceFiles, in order.
    const sources = await loadFiles(files);
    sources.push(...extra);
    const result = analyzeLoaded(sources, options);
    for (const s of skipped)
        result.files.push({ file: s.path, status: 'skipped', documents: 0, resources: 0, nonKubernetes: 0, reason: s.reason });
    result.files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    result.unmatched = unmatched;
    result.excludedOnly = excludedOnly;
    result.notRead = skipped.map((s) => ({ file: s.path, reason: s.reason }));
    return result;
}
/** The pure core over in-memory sources. */
function analyzeSources(inputs, options) {
    return analyzeLoaded(inputs.map((input) => ('error' in input ? unreadableSource(input.path, input.error) : loadSource(input.path, input.text))), options);
}
/** The core over files already read and parsed (loadSource, loadFiles), in report order. */
function analyzeLoaded(loaded, options) {
    const sources = [];
    const fileReports = [];
    const stats = { files: 0, documents: 0, resources: 0, nonKubernetes: 0, workloads: 0, podSpecs: 0, images: 0, serviceAccounts: 0, secrets: 0, secretProducers: 0, namespaces: 0 };
    const graph = new Graph(sources, options.defaultNamespace);
    for (const file of loaded) {
        stats.files++;
        sources.push(file);
        if (file.readError !== undefined) {
            fileReports.push({ file: file.path, status: 'error', documents: 0, resources: 0, nonKubernetes: 0, reason: `cannot read the file (${file.readError})` });
            continue;
        }
        const { resources, counts } = extractResources(file, options.defaultNamespace);
        for (const r of resources)
            graph.addResource(r);
        stats.documents += counts.documents;
        stats.resources += counts.resources;
        stats.nonKubernetes += counts.nonKubernetes;
        const failed = file.problems.some((p) => p.kind === 'syntax') || (counts.documents === 0 && file.problems.length > 0);
        const report = {
            file: file.path,
            status: failed ? 'error' : resources.length === 0 ? 'skipped' : 'parsed',
            documents: counts.documents,
            resources: counts.resources,
            nonKubernetes: counts.nonKubernetes,
        };
        if (file.parsed?.skipped)
            report.skippedKinds = file.parsed.skipped;
        if (failed)
            report.reason = file.problems.map((p) => p.message).join('; ');
        else if (resources.length === 0)
            report.reason = file.problems.length ? file.problems[0].message : 'no Kubernetes objects (apiVersion and kind)';
        fileReports.push(report);
    }
    addConfiguredObjects(graph, options);
    graph.linkReplicationSources();
    const resolution = resolve(graph, options);
    const findings = [];
    // Rule, file and position, then the messages found there (a short key to hash, not the message).
    const seen = new Map();
    const rulesMeta = [];
    const fileByPath = new Map(sources.map((s) => [s.path, s]));
    for (const rule of RULES) {
        const setting = options.rules[rule.meta.id];
        if (setting === 'off')
            continue;
        // The severity the configuration gives the rule is its default here (SARIF's defaultConfiguration).
        rulesMeta.push({ ...metaOf(rule), severity: setting ?? rule.meta.severity });
        for (const problem of rule.check({ graph, resolution, options })) {
            const finding = toFinding(rule, problem, setting, fileByPath);
            const at = `${finding.ruleId}|${finding.location.file}|${finding.location.range.start.line}:${finding.location.range.start.column}`;
            const messages = seen.get(at);
            if (messages?.includes(finding.message))
                continue;
            if (messages)
                messages.push(finding.message);
            else
                seen.set(at, [finding.message]);
            findings.push(finding);
        }
    }
    const counts = { error: 0, warning: 0, notice: 0, suppressed: 0 };
    for (const f of findings) {
        if (f.suppressed)
            counts.suppressed++;
        else
            counts[f.severity]++;
    }
    const images = imageReports(resolution);
    stats.workloads = graph.podSpecs.length; // one PodSpec per resource at most (podSpecOf)
    stats.podSpecs = graph.podSpecs.length;
    // Distinct images (one may be listed twice: checked in some pods, unclassified in others).
    let distinctImages = images.length;
    for (let i = 1; i < images.length; i++)
        if (images[i].image === images[i - 1].image)
            distinctImages--;
    stats.images = distinctImages;
    stats.serviceAccounts = graph.resources.filter((r) => r.kind === 'ServiceAccount').length;
    stats.secrets = graph.resources.filter((r) => r.kind === 'Secret').length;
    stats.secretProducers = graph.secretDefs.filter((d) => d.origin !== 'Secret' && d.origin !== 'existing-secrets').length;
    stats.namespaces = graph.namespaces.size;
    return {
        findings,
        images,
        files: fileReports,
        stats,
        assumptions: [...assumptions(resolution), ...unsetNamespaceNote(graph), ...duplicateNotes(graph)],
        secretValues: secretValues(graph, resolution),
        rules: rulesMeta,
        counts,
        checkedImages: images.filter((i) => i.classification === 'private' || i.classification === 'inferred-private').length,
        unclassifiedImages: images.filter((i) => i.classification === 'unclassified').length,
    };
}
function metaOf(rule) {
    const { id, severity, description, rationale, remediation } = rule.meta;
    return { id, severity, description, rationale, remediation };
}
const LEVELS = ['notice', 'warning', 'error'];
/**
 * A finding's severity: its own (a rule may soften or harden one, pull-secret-not-found's warning
 * when the other secrets cover every image), moved by the configured setting as far as the setting
 * moves the rule's default, within notice…error. Setting a rule to its default changes nothing.
 */
function findingSeverity(ruleDefault, own, setting) {
    if (!setting || setting === 'off')
        return own ?? ruleDefault;
    if (own === undefined)
        return setting;
    const shift = LEVELS.indexOf(setting) - LEVELS.indexOf(ruleDefault);
    return LEVELS[Math.max(0, Math.min(LEVELS.length - 1, LEVELS.indexOf(own) + shift))];
}
function toFinding(rule, p, setting, files) {
    const severity = findingSeverity(rule.meta.severity, p.severity, setting);
    const res = p.workload ?? p.resource;
    const sup = findSuppression(rule.meta.id, files.get(p.location.file), p.location.range.start.line, p.resource, RULE_IDS);
    let message = p.message;
    if (sup?.misspelt !== undefined) {
        message += ` (a pullcheck ignore ${sup.by} names "${sup.misspelt}", which is no rule: did you mean ${rule.meta.id}?)`;
    }
    else if (sup?.hint !== undefined) {
        message += ` (${sup.hint})`;
    }
    else if (sup && !sup.reason) {
        message += ` (a pullcheck ignore ${sup.by} names this rule but gives no reason, so it does not apply: write "${rule.meta.id}: <reason>")`;
    }
    // Fields in the order the JSON report writes them (report/json.ts), so that it need not copy.
    const finding = { ruleId: rule.meta.id, severity, message, location: p.location };
    if (res)
        finding.resource = ref(res);
    if (p.container !== undefined)
        finding.container = p.container;
    if (p.image !== undefined)
        finding.image = p.image;
    if (p.fix)
        finding.fix = p.fix;
    finding.related = p.related ?? [];
    finding.fingerprint = fingerprint([rule.meta.id, p.location.file, res?.kind, res?.namespace, res?.name, p.key, p.image]);
    if (sup?.reason)
        finding.suppressed = { reason: sup.reason, by: sup.by };
    if (p.pods?.length) {
        finding.paths = p.pods.slice(0, MAX_PATHS).map(pullPath);
        if (p.pods.length > MAX_PATHS)
            finding.pathsOmitted = p.pods.length - MAX_PATHS;
    }
    return finding;
}
/**
 * A finding names at most this many of its pull paths, and each path this many secrets: a
 * ServiceAccount of many missing secrets used by many pods would otherwise repeat every path in
 * every finding (findings × pods × secrets; gigabytes). The message names the workloads.
 */
const MAX_PATHS = 20;
const MAX_PATH_SECRETS = 20;
const pullPaths = new WeakMap();
/** A pod's pull path, made once however many findings name it (shared, read-only). */
function pullPath(pod) {
    let path = pullPaths.get(pod);
    if (!path) {
        const names = pod.effective.map((r) => r.name).filter((n) => n !== '');
        path = { namespace: pod.pod.namespace, serviceAccount: pod.saName, secrets: names.slice(0, MAX_PATH_SECRETS), workload: ref(pod.pod.resource) };
        if (names.length > MAX_PATH_SECRETS)
            path.secretsOmitted = names.length - MAX_PATH_SECRETS;
        if (pod.listSource !== 'none')
            path.secretsFrom = pod.listSource;
        pullPaths.set(pod, path);
    }
    return path;
}
const CLASS_RANK = { invalid: 6, private: 5, 'inferred-private': 4, 'node-credentials': 3, public: 2, unclassified: 1 };
function imageReports(resolution) {
    const byImage = new Map();
    // One reference object per workload, shared by its uses (read-only from here on).
    const refs = new Map();
    for (const pod of resolution.pods) {
        for (const img of pod.images) {
            const key = imageKey(img);
            let rep = byImage.get(key);
            if (!rep) {
                // Fields in the order the JSON report writes them; undefined ones are not written.
                rep = { image: shownImage(img), repository: img.ref?.name, classification: img.classification, reason: img.reason, assumedCovered: undefined, uses: [] };
                byImage.set(key, rep);
            }
            else if (CLASS_RANK[img.classification] > CLASS_RANK[rep.classification]) {
                rep.classification = img.classification;
                rep.reason = img.reason;
            }
            if (img.assumed && img.status === 'ok')
                rep.assumedCovered = true;
            const r = pod.pod.resource;
            const line = r.file.positions.lineCol(imageSpan(r, img.use).start).line;
            let workload = refs.get(r);
            if (!workload)
                refs.set(r, (workload = ref(r)));
            // The same use again (an object or container repeated through YAML aliases: `- *pod`) is listed once.
            const last = rep.uses[rep.uses.length - 1];
            if (last && last.line === line && last.container === img.use.name && last.file === r.file.path && sameRef(last.workload, workload))
                continue;
            rep.uses.push({ file: r.file.path, line, workload, container: img.use.name });
        }
    }
    return [...byImage.values()].sort((a, b) => (a.image < b.image ? -1 : a.image > b.image ? 1 : CLASS_RANK[b.classification] - CLASS_RANK[a.classification]));
}
function sameRef(a, b) {
    return a === b || (a.kind === b.kind && a.namespace === b.namespace && a.name === b.name);
}
/**
 * The image report an image use belongs to: its reference when it is a string, else its value as
 * JSON under a key no string image can have. A list `[ghcr.io/acme/app:1]` is not the image
 * `ghcr.io/acme/app:1` (String() would merge them, and the valid uses would be reported invalid),
 * nor is an object `[object Object]`.
 */
function imageKey(img) {
    const value = img.use.image;
    const key = typeof value === 'string' || value === undefined || value === null ? shownImage(img) : `\0${shownImage(img)}`;
    // Its unchecked uses apart: an image checked in one pod (that lists pull secrets) and not in
    // another is also listed as unclassified there, with those uses, not hidden behind the first.
    return img.classification === 'unclassified' ? `${key}\0unclassified` : key;
}
/**
 * The image as the report shows it: the string, or the value written as JSON (`["a:1"]`, `5`), the
 * values of keys named like credentials as `***` (a Helm values object rendered whole, with its
 * registry password).
 */
function shownImage(img) {
    const value = img.use.image;
    if (typeof value === 'string')
        return img.image || value;
    if (value === undefined || value === null)
        return '';
    return JSON.stringify(value, (key, v) => (CREDENTIAL_KEY.test(key) && v !== null && typeof v !== 'object' ? '***' : v)) ?? '';
}
function assumptions(resolution) {
    const bySecret = new Map();
    for (const pod of resolution.pods) {
        for (const img of pod.images) {
            if (!img.assumed || img.status !== 'ok')
                continue;
            const labels = img.coveredBy.length ? img.coveredBy.map((d) => d.label) : [`ServiceAccount ${pod.pod.namespace}/${pod.saName} (existing-service-accounts)`];
            for (const label of labels) {
                const set = bySecret.get(label) ?? new Set();
                set.add(img.image);
                bySecret.set(label, set);
            }
        }
    }
    return [...bySecret.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([label, imgs]) => `${label} has content pullcheck cannot read; it is assumed to cover ${[...imgs].sort().join(', ')}.`);
}
/**
 * Objects that take part in pulls (pods' holders, ServiceAccounts, Secrets and their producers)
 * but name no namespace: checked in the default namespace, where `kubectl apply -n`, `helm
 * install -n` or a GitOps tool's target namespace may not put them. Said once, with the first.
 */
function unsetNamespaceNote(graph) {
    const involved = new Set();
    for (const p of graph.podSpecs)
        if (p.resource.namespaceUnset)
            involved.add(p.resource);
    for (const d of graph.secretDefs)
        if (d.resource?.namespaceUnset)
            involved.add(d.resource);
    for (const r of graph.resources)
        if (r.namespaceUnset && r.kind === 'ServiceAccount')
            involved.add(r);
    if (involved.size === 0)
        return [];
    const first = [...involved].sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : a.docIndex - b.docIndex))[0];
    const at = `${first.file.path}:${locationAt(first, ['metadata', 'name']).range.start.line}`;
    const one = involved.size === 1;
    const what = one ? `${first.kind} ${first.name} (${at}) names` : `${involved.size} objects name (the first: ${first.kind} ${first.name}, ${at})`;
    return [
        `${what} no namespace and ${one ? 'is' : 'are'} checked in namespace ${graph.defaultNamespace}, the default-namespace, where kubectl apply without -n puts ${one ? 'it' : 'them'}; ` +
            `if ${one ? 'it is' : 'they are'} installed elsewhere (kubectl apply -n, helm install -n, an Argo CD or Flux target namespace), set default-namespace to that namespace or write metadata.namespace.`,
    ];
}
/**
 * ServiceAccounts declared more than once with different imagePullSecrets: the results rest on
 * the last declaration, which `kubectl apply -f` leaves (Helm and kustomize refuse duplicates).
 */
function duplicateNotes(graph) {
    const notes = [];
    /** Where each declaration names the object: `file:line`. */
    const declaredAt = (list) => list.map((d) => `${d.resource.file.path}:${locationAt(d.resource, ['metadata', 'name']).range.start.line}`);
    const APPLY = 'as kubectl apply -R -f leaves it';
    const REFUSED = 'though Helm and kustomize refuse duplicate objects';
    for (const list of graph.duplicateServiceAccounts()) {
        const lists = new Set(list.map((sa) => JSON.stringify(sa.imagePullSecrets ?? null)));
        if (lists.size === 1)
            continue;
        const at = declaredAt(list);
        const last = list[list.length - 1];
        notes.push(`ServiceAccount ${last.namespace}/${last.name} is declared ${list.length} times with different imagePullSecrets (${at.join(', ')}); ` +
            `the last one read (${at[at.length - 1]}) is used, ${APPLY}, ${REFUSED}.`);
    }
    for (const list of graph.duplicateSecrets()) {
        // What the kubelet reads of them: the type and the docker-config keys (compared, never shown:
        // the content is secret). Other data is not even kept when parsing prunes it.
        const pullContent = (d) => [d.type, ...['.dockerconfigjson', '.dockercfg'].map((k) => d.data?.get(k)?.value ?? null)];
        if (!list.some((d) => isPullSecretType(d) || pullContent(d).slice(1).some((v) => v !== null)))
            continue;
        const contents = new Set(list.map((d) => JSON.stringify(pullContent(d))));
        if (contents.size === 1)
            continue;
        const at = declaredAt(list);
        const used = appliedSecrets(list)[0];
        const usedAt = at[list.findIndex((d) => d === used)];
        // Why a later declaration did not replace the one used, when one did not.
        const later = list.slice(list.findIndex((d) => d === used) + 1);
        const typeNote = later.length === 0
            ? ''
            : later.some((d) => !d.rejected && d.type !== used.type)
                ? ' (applying another type fails: a Secret\'s type cannot change)'
                : used.resource?.obj.immutable === true && later.some((d) => !d.rejected)
                    ? ' (once one is immutable, applying other data fails)'
                    : ' (the API server refuses the later ones)';
        notes.push(`Secret ${used.namespace}/${used.name} is declared ${list.length} times with different content (${at.join(', ')}); ` +
            `${usedAt} is used, ${APPLY}${typeNote}, ${REFUSED}.`);
    }
    return notes;
}
/** The userinfo of an image written as a URL with credentials: `[scheme://]user:pass@host/…`. */
const IMAGE_USERINFO = /^(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?([^/@\s]+)@[^/@\s]*\//;
/** Every credential value found in the manifests, to be masked by the front ends. */
function secretValues(graph, resolution) {
    const out = new Set();
    const add = (v) => {
        if (!v || v.length < 4)
            return;
        out.add(v);
        // A value written with a line break (`echo … | base64`) is also shown without it.
        const trimmed = v.trim();
        if (trimmed !== v && trimmed.length >= 4)
            out.add(trimmed);
        // Keys are shown as url.Parse leaves them, percent-decoded: a secret written into a key's path
        // (`ghcr.io/pa%41ss`) would be shown decoded (`ghcr.io/paAss`).
        if (/%[0-9a-fA-F]{2}/.test(v)) {
            const decoded = percentDecoded(v);
            if (decoded.length >= 4)
                out.add(decoded);
        }
    };
    // Keys written with escapes, whose decoded form may spell a secret the written one hides (`Kp7%41mq`).
    const escapedKeys = [];
    for (const { creds } of committedCredentials(graph)) {
        for (const c of creds) {
            if (c.rawKey.includes('%'))
                escapedKeys.push(c.rawKey);
            for (const v of userinfoSecrets(c.rawKey))
                add(v);
            add(c.entry.password);
            // A token pasted as the username is as secret as a password.
            if (looksLikeToken(c.entry.username)) {
                add(c.entry.username);
                add(c.entry.username.trim());
            }
            for (const token of c.entry.tokens)
                add(token);
            if (c.entry.password || c.entry.username) {
                const auth = Buffer.from(`${c.entry.username}:${c.entry.password}`).toString('base64');
                add(auth);
                add(auth.replace(/=+$/, ''));
            }
        }
    }
    for (const def of graph.secretDefs) {
        if (def.origin !== 'Secret' || !def.resource)
            continue;
        for (const key of ['.dockerconfigjson', '.dockercfg']) {
            const raw = def.data?.get(key);
            if (!raw)
                continue;
            const written = def.resource.obj[raw.path[0]]?.[key];
            if (typeof written === 'string')
                add(written.trim());
            if (raw.value !== undefined)
                for (const v of credentialFields(raw.value))
                    add(v);
            // A config written as a YAML mapping under stringData (rejected, but its passwords are there).
            else if (typeof written === 'object' && written !== null)
                for (const v of credentialFields(JSON.stringify(written)))
                    add(v);
        }
    }
    // Credentials written into an image reference (`https://bot:pass@ghcr.io/acme/app:1`, which no
    // runtime pulls: invalid-image-reference quotes it), or under a credential's key in an image
    // written as a mapping (a Helm values object rendered whole; the report shows `***` there).
    for (const pod of resolution.pods) {
        for (const { use } of pod.images) {
            const image = use.image;
            if (typeof image === 'string') {
                const userinfo = image.includes('@') ? IMAGE_USERINFO.exec(image)?.[1] : undefined;
                if (userinfo !== undefined)
                    for (const v of userinfoSecrets(`${userinfo}@x`))
                        add(v);
            }
            else if (typeof image === 'object' && image !== null) {
                JSON.stringify(image, (key, v) => {
                    if (typeof v === 'string' && CREDENTIAL_KEY.test(key))
                        add(v);
                    return v;
                });
            }
        }
    }
    for (const key of escapedKeys) {
        const path = key.replace(/^https?:\/\//i, '').replace(/^[^/]*/, '').slice(1);
        const decoded = percentDecoded(path);
        // The key's path, as written and as shown, when the shown one spells a secret: masked whole.
        if (decoded !== path && [...out].some((s) => decoded.includes(s) && !path.includes(s))) {
            add(path);
            add(decoded);
        }
    }
    return [...out].sort((a, b) => b.length - a.length);
}
/** A JSON string that holds an `@` (a registry key with a userinfo, `"https://user:pass@host"`, may be one); keyUserinfo decides. */
const KEY_WITH_USERINFO = /"([^"\s]*@[^"\s]*)"/g;
/**
 * The secret of a registry key's userinfo (keyring.ts keyUserinfo), which the kubelet's URL
 * parsing ignores but the key still spells out, as written and percent-decoded; and its user,
 * when that is a credential too (userIsSecret: a token, or the password is empty).
 */
function userinfoSecrets(key) {
    const u = keyUserinfo(key);
    if (u === undefined)
        return [];
    const out = [];
    for (const part of userIsSecret(u) ? [u.secret, u.user] : [u.secret]) {
        const decoded = percentDecoded(part);
        out.push(part);
        if (decoded !== part)
            out.push(decoded);
    }
    return out;
}
/**
 * The credential fields of a docker config found by their text, so that configs that do not
 * decode (invalid JSON, no auths wrapper, an `auth` that is not base64(user:pass)) still have
 * their passwords masked: each password and token, and the password part of an `auth`, whether
 * base64 or written plain; a username, or the user part of an `auth`, that is an access token.
 */
function credentialFields(text) {
    const out = [];
    // Registry keys that carry a user and password (`https://bot:pass@quay.io`).
    for (const m of text.matchAll(KEY_WITH_USERINFO))
        out.push(...userinfoSecrets(m[1]));
    // The key by a regular expression, the string by a scan: a regular expression over a string of
    // megabytes (`(?:[^"\\]|\\.)*`) runs out of stack.
    const field = /"(password|auth|identitytoken|registrytoken|username)"\s*:\s*"/gi;
    for (const m of text.matchAll(field)) {
        const start = m.index + m[0].length;
        let end = start;
        while (end < text.length && text[end] !== '"')
            end += text[end] === '\\' ? 2 : 1;
        if (end >= text.length)
            continue;
        let value = text.slice(start, end);
        try {
            value = JSON.parse(`"${value}"`);
        }
        catch {
            // Kept as written.
        }
        const name = m[1].toLowerCase();
        // A username only when it is a token pasted there.
        if (name === 'username') {
            if (looksLikeToken(value))
                out.push(value, value.trim());
            continue;
        }
        out.push(value);
        if (name !== 'auth')
            continue;
        const decoded = decodeBase64Strict(value);
        if (decoded !== undefined)
            out.push(decoded);
        for (const pair of decoded !== undefined ? [decoded, value] : [value]) {
            const colon = pair.indexOf(':');
            if (colon < 0)
                continue;
            out.push(pair.slice(colon + 1));
            if (looksLikeToken(pair.slice(0, colon)))
                out.push(pair.slice(0, colon), pair.slice(0, colon).trim());
        }
    }
    return out;
}

;// CONCATENATED MODULE: ./build/report/text.js
const MASK = '***';
const SEVERITY_RANK = { error: 3, warning: 2, notice: 1 };
/** Higher is more severe: error 3, warning 2, notice 1. */
function severityRank(severity) {
    return SEVERITY_RANK[severity];
}
/** Code-unit order: unlike localeCompare it does not depend on the machine's locale. */
function compareStrings(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
/** File, line, column, most severe first, rule id, message (fingerprint breaks the last ties). */
function compareFindings(a, b) {
    const ra = a.location.range.start;
    const rb = b.location.range.start;
    return (compareStrings(a.location.file, b.location.file) ||
        ra.line - rb.line ||
        ra.column - rb.column ||
        severityRank(b.severity) - severityRank(a.severity) ||
        compareStrings(a.ruleId, b.ruleId) ||
        compareStrings(a.message, b.message) ||
        compareStrings(a.fingerprint, b.fingerprint));
}
/** A sorted copy; the input is left as it is. */
function sortFindings(findings) {
    return [...findings].sort(compareFindings);
}
function compareUses(a, b) {
    return compareStrings(a.file, b.file) || a.line - b.line || compareStrings(a.container, b.container);
}
function compareImages(a, b) {
    return compareStrings(a.image, b.image) || compareStrings(a.classification, b.classification);
}
function isSorted(list, compare) {
    for (let i = 1; i < list.length; i++)
        if (compare(list[i - 1], list[i]) > 0)
            return false;
    return true;
}
/**
 * Images by reference, each with its uses by file and line. The input is left as it is; an image
 * whose uses are in order already (as analyze() gives them) is not copied.
 */
function sortImages(images) {
    const sorted = isSorted(images, compareImages) ? [...images] : [...images].sort(compareImages);
    return sorted.map((image) => (isSorted(image.uses, compareUses) ? image : { ...image, uses: [...image.uses].sort(compareUses) }));
}
/** The distinct non-blank secret values, longest first (then in code-unit order). */
function distinctSecrets(secretValues) {
    return [...new Set(secretValues)].filter((value) => value.trim() !== '').sort((a, b) => b.length - a.length || compareStrings(a, b));
}
/**
 * Finds secrets in text. Reports hold hundreds of thousands of strings and a repository thousands
 * of secrets: a regular expression alternation of the secrets tries each of them at each offset.
 * This is Wu and Manber's multi-pattern search instead: a window as long as the shortest secret
 * slides over the text; the last `b` characters of the window, hashed, give how far it can move
 * without passing the start of any secret (a table of 2^16 entries, built from every `b`-gram of
 * the secrets' first `min` characters); only where that is 0 are the secrets of that hash compared,
 * longest first. The matches are those of the alternation (leftmost, then longest), and most of
 * the text is never looked at.
 */
/** Bits of the b-gram hash: a table of 2^16 shifts stays in the processor's cache. */
const HASH_BITS = 16;
class SecretIndex {
    json;
    /** Length of the shortest secret. */
    min;
    /** Length of the last match `find` returned. */
    found = 0;
    b;
    shift;
    /**
     * The secrets by the hash of their b-gram, then by length (longest first) as sets: a window is
     * looked up once per length, not compared with every secret of its bucket (thousands of tokens
     * share `ghp_`, and a report may say `ghp_` thousands of times).
     */
    byHash = new Map();
    /** Per secret, the words of the vocabulary that hold it, with where: a match there is that word. */
    within = new Map();
    /**
     * `secrets`: non-empty, longest first. `vocabulary`: the reports' own words (see reportWords).
     * `json`: the text is JSON, where the letter before a match may end an escape (`\n`, `\u00e9`).
     */
    constructor(secrets, vocabulary, json) {
        this.json = json;
        for (const secret of secrets) {
            for (const word of vocabulary) {
                for (let at = word.indexOf(secret); at >= 0; at = word.indexOf(secret, at + 1)) {
                    const list = this.within.get(secret);
                    if (list)
                        list.push({ word, offset: at });
                    else
                        this.within.set(secret, [{ word, offset: at }]);
                }
            }
        }
        const min = (this.min = secrets[secrets.length - 1].length);
        const b = (this.b = Math.min(4, min));
        const most = Math.min(255, min - b + 1);
        this.shift = new Uint8Array(1 << HASH_BITS).fill(most);
        for (const secret of secrets) {
            for (let q = 0; q + b <= min; q++) {
                const h = this.hash(secret, q);
                const d = min - b - q;
                if (d < this.shift[h])
                    this.shift[h] = d;
            }
            const h = this.hash(secret, min - b);
            let bucket = this.byHash.get(h);
            if (!bucket)
                this.byHash.set(h, (bucket = { lengths: [], byLength: new Map() }));
            const same = bucket.byLength.get(secret.length);
            if (same)
                same.add(secret);
            else {
                bucket.byLength.set(secret.length, new Set([secret]));
                bucket.lengths.push(secret.length);
            }
        }
        for (const bucket of this.byHash.values())
            bucket.lengths.sort((x, y) => y - x);
    }
    /** Start of the first secret in `text` from `i` that ends by `to` (its length in `found`), or -1. */
    find(text, i, to) {
        const min = this.min;
        const b = this.b;
        const shift = this.shift;
        const last = min - b; // offset of the hashed b-gram in the window
        while (i + min <= to) {
            // hash(text, i + last), written out: this loop runs over every report's whole text.
            const k = i + last;
            let h = Math.imul(0x811c9dc5 ^ text.charCodeAt(k), 0x9e3779b1);
            if (b > 1)
                h = Math.imul(h ^ text.charCodeAt(k + 1), 0x9e3779b1);
            if (b > 2)
                h = Math.imul(h ^ text.charCodeAt(k + 2), 0x9e3779b1);
            if (b > 3)
                h = Math.imul(h ^ text.charCodeAt(k + 3), 0x9e3779b1);
            h >>>= 32 - HASH_BITS;
            const d = shift[h];
            if (d > 0) {
                i += d;
                continue;
            }
            const bucket = this.byHash.get(h);
            if (bucket) {
                // Longest first, as the secrets are tried everywhere else.
                for (const length of bucket.lengths) {
                    if (i + length > to)
                        continue;
                    const candidate = text.slice(i, i + length);
                    if (bucket.byLength.get(length).has(candidate) && !this.partOfWord(text, i, candidate)) {
                        this.found = length;
                        return i;
                    }
                }
            }
            i++;
        }
        return -1;
    }
    /**
     * True when the secret at `i` is only part of a longer word, which is not the secret: letters
     * or digits go on past an end of it that is a letter or digit (`pass` in `password`), or the
     * match lies inside a word of the vocabulary (`registry` in `registry-not-covered`).
     */
    partOfWord(text, i, secret) {
        const end = i + secret.length;
        if (isWordChar(secret.charCodeAt(0)) && i > 0 && isWordChar(text.charCodeAt(i - 1)) && !this.escapeEndsAt(text, i - 1))
            return true;
        const last = secret.length - 1;
        if (isWordChar(secret.charCodeAt(last)) && !(this.json && insideEscape(secret, last)) && end < text.length && isWordChar(text.charCodeAt(end))) {
            return true;
        }
        for (const { word, offset } of this.within.get(secret) ?? []) {
            if (i >= offset && text.startsWith(word, i - offset) && !(this.json && insideEscape(text, i - offset)))
                return true;
        }
        return false;
    }
    /** True when the character at `k` ends an escape: JSON's (`\n`, `\u00e9`) or a terminal colour (`ESC[31m`). */
    escapeEndsAt(text, k) {
        if (this.json)
            return insideEscape(text, k);
        if (text.charCodeAt(k) !== 109 /* m */)
            return false;
        let j = k - 1;
        while (j >= 0 && ((text.charCodeAt(j) >= 48 && text.charCodeAt(j) <= 57) || text.charCodeAt(j) === 59))
            j--;
        return j >= 1 && text.charCodeAt(j) === 91 /* [ */ && text.charCodeAt(j - 1) === 27;
    }
    /** The `b` characters at `i`, hashed to HASH_BITS bits (as find hashes them). */
    hash(text, i) {
        let h = 0x811c9dc5;
        for (let j = 0; j < this.b; j++)
            h = Math.imul(h ^ text.charCodeAt(i + j), 0x9e3779b1);
        return h >>> (32 - HASH_BITS);
    }
}
/**
 * The words of the reports themselves, besides the rule ids: severities, SARIF levels, image
 * classes, and SARIF's fixed values that code scanning reads (its version, schema and root, the
 * suppression kind, the tool's page: sarif.ts). Not `pass` or `fail`: a password that is a common
 * word is still masked where it stands alone.
 */
const REPORT_WORDS = [
    ...['error', 'warning', 'notice', 'note', 'none', 'invalid', 'node-credentials', 'public', 'private', 'inferred-private', 'unclassified'],
    ...['2.1.0', 'https://json.schemastore.org/sarif-2.1.0.json', '%SRCROOT%', 'inSource', 'https://github.com/pullcheck/pullcheck'],
];
/**
 * The reports' own vocabulary, which the maskers leave alone: a committed password `pass` or
 * `registry` is not what `password-not-token` or `registry-not-covered` spell, and masking them
 * would break the rule ids that SARIF and JSON consumers match on.
 */
function text_reportWords(result) {
    return [...result.rules.map((rule) => rule.id), ...REPORT_WORDS];
}
/**
 * Returns a function replacing every occurrence of a secret value with `***`. Longest values go
 * first so a secret that contains another is masked whole. Blank values are ignored: masking
 * every space would garble the output without hiding anything. An occurrence that is only part
 * of a longer word (`pass` in `password`, or inside a word of `vocabulary`) is that word, not the
 * secret, and is left as it is.
 */
function text_secretMasker(secretValues, vocabulary = []) {
    const secrets = distinctSecrets(secretValues);
    if (secrets.length === 0)
        return (text) => text;
    const index = new SecretIndex(secrets, vocabulary, false);
    return (text) => {
        let at = index.find(text, 0, text.length);
        if (at < 0)
            return text;
        let out = '';
        let last = 0;
        while (at >= 0) {
            out += text.slice(last, at) + MASK;
            last = at + index.found;
            at = index.find(text, last, text.length);
        }
        return out + text.slice(last);
    };
}
/**
 * The masker for JSON text: masks the secrets inside the string values of `JSON.stringify`
 * output, as `secretMasker` masks the strings before they are serialised, but in one pass over
 * the text instead of a walk over every value. Secrets are looked for as JSON.stringify writes
 * them (escapes included); keys (the reports' schema), numbers, `true`, `null` and the structure
 * are never touched, so the output stays valid JSON of the same shape.
 */
function jsonTextMasker(secretValues, vocabulary = []) {
    const secrets = distinctSecrets(secretValues).map((s) => JSON.stringify(s).slice(1, -1));
    if (secrets.length === 0)
        return (json) => json;
    secrets.sort((a, b) => b.length - a.length || compareStrings(a, b));
    const index = new SecretIndex(secrets, vocabulary.map((word) => JSON.stringify(word).slice(1, -1)), true);
    // When every match must lie inside a string literal, the whole text is searched at once.
    const whole = secrets.every(onlyInStrings);
    return (json) => {
        const masked = { out: '', last: 0 };
        if (whole) {
            maskBetween(json, 0, json.length, index, masked);
        }
        else {
            // From one string literal to the next: a quote opens one, the next quote not escaped closes it.
            for (let open = json.indexOf('"'); open >= 0;) {
                const close = text_closingQuote(json, open + 1);
                if (close < 0)
                    break;
                if (json.charCodeAt(close + 1) !== 58 /* : a key */)
                    maskBetween(json, open + 1, close, index, masked);
                open = json.indexOf('"', close + 1);
            }
        }
        return masked.last === 0 ? json : masked.out + json.slice(masked.last);
    };
}
/** The quote that closes the string literal going on at `i` (the next one not escaped), or -1. */
function text_closingQuote(json, i) {
    let close = json.indexOf('"', i);
    while (close > 0 && escaped(json, close))
        close = json.indexOf('"', close + 1);
    return close;
}
/** Masks the secrets found in the string values of json[from, to): the text up to each one is added to `masked.out`, `masked.last` is where the rest starts. */
function maskBetween(json, from, to, index, masked) {
    for (let at = index.find(json, from, to); at >= 0; at = index.find(json, at, to)) {
        // A match must start on a character, not inside an escape (`\n`, `\u0001`), and lie in a value, not a key.
        if (insideEscape(json, at) || json.charCodeAt(text_closingQuote(json, at + index.found) + 1) === 58) {
            at++;
            continue;
        }
        masked.out += json.slice(masked.last, at) + MASK;
        at += index.found;
        masked.last = at;
    }
}
/**
 * Outside its string literals, JSON.stringify writes only white space, `{}[],:`, numbers, `true`,
 * `false` and `null`. An escaped secret with no quote (so no match spans a literal's end) and with
 * a character none of those has (so no match lies outside every literal) matches only inside one.
 */
function onlyInStrings(escapedSecret) {
    return !escapedSecret.includes('"') && /[^\s{}[\],:0-9.eE+\-truefalsn]/.test(escapedSecret);
}
/** ASCII letters, digits and `_`: what a word is made of. */
function isWordChar(c) {
    return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
/** True when the character at `i` is part of an escape sequence, but not its backslash. */
function insideEscape(json, i) {
    if (escaped(json, i))
        return true;
    // The hex digits of `\uXXXX`.
    for (let k = 2; k <= 5 && i - k >= 0; k++) {
        if (json.charCodeAt(i - k) === 92 && json.charCodeAt(i - k + 1) === 117 /* u */ && !escaped(json, i - k))
            return true;
    }
    return false;
}
/** True when the character at `i` follows an odd number of backslashes. */
function escaped(text, i) {
    let n = 0;
    while (i - n - 1 >= 0 && text.charCodeAt(i - n - 1) === 92)
        n++;
    return n % 2 === 1;
}
function maskSecrets(text, secretValues) {
    return text_secretMasker(secretValues)(text);
}
/** Masks every string value of a JSON-like value (keys are the reports' schema); returns a copy. */
function text_maskDeep(value, mask) {
    // Secrets almost never reach a report: look first, copy only when something must change.
    return containsMaskable(value, mask) ? maskValue(value, mask) : value;
}
function containsMaskable(value, mask) {
    if (typeof value === 'string')
        return mask(value) !== value;
    if (Array.isArray(value))
        return value.some((item) => containsMaskable(item, mask));
    if (value !== null && typeof value === 'object') {
        for (const item of Object.values(value))
            if (containsMaskable(item, mask))
                return true;
    }
    return false;
}
function maskValue(value, mask) {
    if (typeof value === 'string')
        return mask(value);
    if (Array.isArray(value))
        return value.map((item) => maskValue(item, mask));
    if (value !== null && typeof value === 'object') {
        const out = {};
        for (const [key, item] of Object.entries(value)) {
            if (item !== undefined)
                out[key] = maskValue(item, mask);
        }
        return out;
    }
    return value;
}
const SEVERITY_COLOR = { error: 31, warning: 33, notice: 34 };
function palette(color) {
    const wrap = (open, close) => (text) => color && text !== '' ? `\u001b[${open}m${text}\u001b[${close}m` : text;
    const bySeverity = {
        error: wrap(SEVERITY_COLOR.error, 39),
        warning: wrap(SEVERITY_COLOR.warning, 39),
        notice: wrap(SEVERITY_COLOR.notice, 39),
    };
    return {
        severity: (severity, text) => bySeverity[severity](text),
        gray: wrap(90, 39),
        dim: wrap(2, 22),
        bold: wrap(1, 22),
        underline: wrap(4, 24),
        green: wrap(32, 39),
    };
}
/**
 * Control characters from the manifests (an ESC that would start a terminal sequence, a BEL) as
 * `\xNN`, for outputs that keep line breaks and tabs as they are (annotations, the summary).
 */
function escapeControls(text) {
    // eslint-disable-next-line no-control-regex
    return text.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
/**
 * One line of the terminal: manifest content ends up in messages (image names, object names), so
 * control characters are shown escaped (`\xNN`) and a crafted manifest cannot drive the terminal;
 * line breaks and tabs become spaces. (Built by replace, not character by character: a string grown one character at a time is a
 * rope of one node per character, dozens of bytes each, for every message of the report.)
 */
function printable(text) {
    return escapeControls(text.replace(/[ \t]*[\r\n]+[ \t]*/g, ' ').replace(/\t/g, ' '));
}
function text_plural(count, one, many = `${one}s`) {
    return `${count} ${count === 1 ? one : many}`;
}
function text_displayPath(file, cwdLabel) {
    const prefix = (cwdLabel ?? '').replace(/\\/g, '/').replace(/\/+$/, '');
    if (prefix === '' || prefix === '.')
        return file;
    return `${prefix}/${file}`;
}
function groupByFile(findings) {
    const groups = new Map();
    for (const finding of findings) {
        const group = groups.get(finding.location.file);
        if (group)
            group.push(finding);
        else
            groups.set(finding.location.file, [finding]);
    }
    return groups;
}
function widthOf(rows, column) {
    return rows.reduce((max, row) => Math.max(max, displayWidth(row[column])), 0);
}
function pad(text, width) {
    return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}
/** East Asian wide and fullwidth characters and emoji: two columns in a terminal (pairs of first, last). */
const WIDE = [
    0x1100, 0x115f, 0x231a, 0x231b, 0x2329, 0x232a, 0x23e9, 0x23ec, 0x23f0, 0x23f0, 0x23f3, 0x23f3, 0x25fd, 0x25fe, 0x2614, 0x2615,
    0x2648, 0x2653, 0x267f, 0x267f, 0x2693, 0x2693, 0x26a1, 0x26a1, 0x26aa, 0x26ab, 0x26bd, 0x26be, 0x26c4, 0x26c5, 0x26ce, 0x26ce,
    0x26d4, 0x26d4, 0x26ea, 0x26ea, 0x26f2, 0x26f3, 0x26f5, 0x26f5, 0x26fa, 0x26fa, 0x26fd, 0x26fd, 0x2705, 0x2705, 0x270a, 0x270b,
    0x2728, 0x2728, 0x274c, 0x274c, 0x274e, 0x274e, 0x2753, 0x2755, 0x2757, 0x2757, 0x2795, 0x2797, 0x27b0, 0x27b0, 0x27bf, 0x27bf,
    0x2b1b, 0x2b1c, 0x2b50, 0x2b50, 0x2b55, 0x2b55, 0x2e80, 0x303e, 0x3041, 0x33ff, 0x3400, 0x4dbf, 0x4e00, 0x9fff, 0xa000, 0xa4cf,
    0xa960, 0xa97f, 0xac00, 0xd7a3, 0xf900, 0xfaff, 0xfe10, 0xfe19, 0xfe30, 0xfe6f, 0xff00, 0xff60, 0xffe0, 0xffe6, 0x1f004, 0x1f004,
    0x1f0cf, 0x1f0cf, 0x1f18e, 0x1f18e, 0x1f191, 0x1f19a, 0x1f200, 0x1f2ff, 0x1f300, 0x1f64f, 0x1f680, 0x1f6ff, 0x1f7e0, 0x1f7eb,
    0x1f90c, 0x1f9ff, 0x1fa70, 0x1faff, 0x20000, 0x3fffd,
];
/** Columns `text` takes in a terminal: combining marks and zero-width characters none, wide ones two. */
function displayWidth(text) {
    if (/^[\x20-\x7e]*$/.test(text))
        return text.length;
    let width = 0;
    for (const ch of text) {
        const code = ch.codePointAt(0);
        if (/^[\p{Mn}\p{Me}\u200b-\u200f\u2060\ufeff]$/u.test(ch))
            continue;
        let wide = false;
        for (let i = 0; i < WIDE.length && code >= WIDE[i]; i += 2) {
            if (code <= WIDE[i + 1]) {
                wide = true;
                break;
            }
        }
        width += wide ? 2 : 1;
    }
    return width;
}
function formatText(result, opts) {
    const mask = text_secretMasker(result.secretValues, text_reportWords(result));
    const c = palette(opts.color);
    const clean = (text) => printable(mask(text));
    const path = (file) => clean(text_displayPath(file, opts.cwdLabel));
    const position = (finding) => `${path(finding.location.file)}:${finding.location.range.start.line}:${finding.location.range.start.column}`;
    const toRow = (finding) => ({
        position: position(finding),
        severity: finding.severity,
        message: clean(finding.message),
        ruleId: clean(finding.ruleId),
        finding,
    });
    const sorted = sortFindings(result.findings);
    const active = sorted.filter((finding) => !finding.suppressed);
    const suppressed = sorted.filter((finding) => finding.suppressed);
    const lines = [];
    for (const [file, group] of groupByFile(active)) {
        lines.push(c.underline(path(file)));
        const rows = group.map(toRow);
        const widths = { position: widthOf(rows, 'position'), severity: widthOf(rows, 'severity'), message: widthOf(rows, 'message') };
        for (const row of rows) {
            lines.push(`  ${c.gray(pad(row.position, widths.position))}  ${c.severity(row.severity, pad(row.severity, widths.severity))}  ` +
                `${pad(row.message, widths.message)}  ${c.gray(row.ruleId)}`);
            for (const related of [...row.finding.related].sort(compareRelated)) {
                const where = `${path(related.location.file)}:${related.location.range.start.line}:${related.location.range.start.column}`;
                lines.push(c.gray(`      ↳ ${where}  ${clean(related.message)}`));
            }
        }
        lines.push('');
    }
    if (opts.quiet)
        return mask(lines.join('\n')).replace(/\n+$/, '') + (lines.length > 0 ? '\n' : '');
    if (suppressed.length > 0) {
        lines.push(c.dim(`Suppressed (${suppressed.length}):`));
        const rows = suppressed.map(toRow);
        const widths = { position: widthOf(rows, 'position'), severity: widthOf(rows, 'severity'), message: widthOf(rows, 'message') };
        for (const row of rows) {
            const how = row.finding.suppressed?.by ?? 'annotation';
            const reason = clean(row.finding.suppressed?.reason ?? '');
            lines.push(c.dim(`  ${pad(row.position, widths.position)}  ${pad(row.severity, widths.severity)}  ${pad(row.message, widths.message)}  ` +
                `${row.ruleId}  (suppressed by ${how}: ${reason})`));
        }
        lines.push('');
    }
    const unclassified = sortImages(result.images.filter((image) => image.classification === 'unclassified'));
    if (unclassified.length > 0) {
        lines.push(`${text_plural(unclassified.length, 'unclassified image')} (not checked):`);
        const names = unclassified.map((image) => clean(image.image));
        const width = names.reduce((max, name) => Math.max(max, displayWidth(name)), 0);
        unclassified.forEach((image, index) => {
            const first = image.uses[0];
            const where = first ? `${path(first.file)}:${first.line}` : '';
            const more = image.uses.length > 1 ? `, +${image.uses.length - 1} more` : '';
            lines.push(`  ${pad(names[index], width)}  ${c.gray(where + more)}`.trimEnd());
        });
        lines.push(c.dim('  hint: list their registries in `private-registries` (a pull secret is required), ' +
            '`public-registries` (never checked) or `node-credentials` (pulled with the nodes\' own identity).'));
        lines.push('');
    }
    const assumptions = [...new Set(result.assumptions.map(clean))].sort(compareStrings);
    if (assumptions.length > 0) {
        lines.push('Assumptions (what the results rest on):');
        for (const assumption of assumptions)
            lines.push(`  • ${assumption}`);
        lines.push('');
    }
    lines.push(totalsLine(result, c));
    return mask(lines.join('\n')) + '\n';
}
/** Related locations by file, line, column, message. */
function compareRelated(a, b) {
    return (compareStrings(a.location.file, b.location.file) ||
        a.location.range.start.line - b.location.range.start.line ||
        a.location.range.start.column - b.location.range.start.column ||
        compareStrings(a.message, b.message));
}
function totalsLine(result, c) {
    const { error, warning, notice, suppressed } = result.counts;
    const problems = error + warning + notice;
    const text = `${problems === 0 ? '✔' : '✖'} ${text_plural(problems, 'problem')} ` +
        `(${text_plural(error, 'error')}, ${text_plural(warning, 'warning')}, ${text_plural(notice, 'notice')}), ${suppressed} suppressed · ` +
        `${text_plural(result.checkedImages, 'image')} checked, ${result.unclassifiedImages} unclassified · ` +
        `${text_plural(result.stats.files, 'file')}`;
    if (error > 0)
        return c.bold(c.severity('error', text));
    if (warning > 0)
        return c.bold(c.severity('warning', text));
    if (notice > 0)
        return c.bold(c.severity('notice', text));
    return c.bold(c.green(text));
}

;// CONCATENATED MODULE: ./build/report/json.js

/** `fail` when an unsuppressed finding is at or above `failOn` (never with `never`). */
function outcome(findings, failOn) {
    if (failOn === 'never')
        return 'pass';
    const threshold = severityRank(failOn);
    return findings.some((finding) => !finding.suppressed && severityRank(finding.severity) >= threshold) ? 'fail' : 'pass';
}
function buildJsonReport(result, opts) {
    const report = unmaskedReport(result, opts);
    const masked = maskDeep(report, secretMasker(result.secretValues, reportWords(result)));
    // Fixed words and numbers only: never masked (a password `fail` must not hide the result).
    for (const key of UNMASKED)
        masked[key] = report[key];
    return masked;
}
/** The entries of the report that hold no text from the manifests: the tool, the counts and verdict, the statistics. */
const UNMASKED = ['tool', 'summary', 'stats'];
/** The report with its long lists still unordered inside (sorted, each item ordered when written). */
function reportParts(result, opts) {
    const { error, warning, notice, suppressed } = result.counts;
    const summary = {
        counts: { error, warning, notice, suppressed },
        checkedImages: result.checkedImages,
        unclassifiedImages: result.unclassifiedImages,
    };
    if (opts.failOn !== undefined) {
        summary.failOn = opts.failOn;
        summary.result = outcome(result.findings, opts.failOn);
    }
    const report = {
        tool: { name: 'pullcheck', version: opts.toolVersion },
        summary,
        findings: sortFindings(result.findings),
        images: sortImages(result.images),
        files: [...result.files].sort((a, b) => compareStrings(a.file, b.file)),
        stats: orderKeys(result.stats, STATS_KEYS),
        assumptions: [...new Set(result.assumptions)].sort(compareStrings),
    };
    return { report, items: { findings: orderFinding, images: orderImage, files: (file) => orderKeys(file, FILE_KEYS) } };
}
function unmaskedReport(result, opts) {
    const { report, items } = reportParts(result, opts);
    const out = { ...report };
    for (const [key, order] of Object.entries(items))
        out[key] = out[key].map(order);
    return out;
}
/** The report as JSON text: the values of buildJsonReport (masked in the text, which is cheaper than in the values). */
function formatJson(result, opts) {
    let out = '';
    for (const piece of jsonPieces(result, opts))
        out += piece;
    return out;
}
/**
 * The text of formatJson in pieces of about `chunkSize` characters, each masked: the items of the
 * long lists are ordered, serialised and masked one by one, so that neither the whole text nor an
 * ordered copy of every finding is ever held at once.
 */
function* jsonPieces(result, opts, chunkSize = 1 << 20) {
    const mask = jsonTextMasker(result.secretValues, text_reportWords(result));
    const { report, items } = reportParts(result, opts);
    let buffer = '';
    // Byte for byte what JSON.stringify(value, null, 2) writes, one top-level entry at a time.
    const entries = Object.entries(report).filter(([, value]) => value !== undefined);
    buffer += '{';
    for (const [i, [key, value]] of entries.entries()) {
        if (UNMASKED.includes(key)) {
            // Written as it is (see UNMASKED), after the masked text before it.
            yield mask(buffer);
            buffer = '';
            yield `\n  ${JSON.stringify(key)}: ${nested(value, 1)}${i < entries.length - 1 ? ',' : ''}`;
            continue;
        }
        buffer += `\n  ${JSON.stringify(key)}: `;
        const order = items[key];
        if (Array.isArray(value) && value.length > 0) {
            buffer += '[';
            for (let j = 0; j < value.length; j++) {
                buffer += `${j ? ',' : ''}\n    ${nested(order ? order(value[j]) : value[j], 2)}`;
                if (buffer.length >= chunkSize) {
                    yield mask(buffer);
                    buffer = '';
                }
            }
            buffer += '\n  ]';
        }
        else {
            buffer += nested(value, 1);
        }
        if (i < entries.length - 1)
            buffer += ',';
        if (buffer.length >= chunkSize) {
            yield mask(buffer);
            buffer = '';
        }
    }
    yield mask(buffer + '\n}\n');
}
/**
 * JSON.stringify(value, null, 2) as it reads nested `depth` (1 or 2) levels deep: the value is
 * serialised inside as many arrays, which are then cut off (cheaper than indenting every line).
 */
function nested(value, depth) {
    return depth === 1 ? JSON.stringify([value], null, 2).slice(4, -2) : JSON.stringify([[value]], null, 2).slice(10, -6);
}
const FINDING_KEYS = [
    'ruleId', 'severity', 'message', 'location', 'resource', 'container', 'image', 'fix', 'related', 'fingerprint', 'suppressed',
];
const IMAGE_KEYS = ['image', 'repository', 'classification', 'reason', 'assumedCovered', 'uses'];
const FILE_KEYS = ['file', 'status', 'documents', 'resources', 'nonKubernetes', 'skippedKinds'];
const STATS_KEYS = [
    'files', 'documents', 'resources', 'nonKubernetes', 'workloads', 'podSpecs', 'images',
    'serviceAccounts', 'secrets', 'secretProducers', 'namespaces',
];
/**
 * The value with the known keys first, in the given order, then any others alphabetically: a
 * field added to the types later still appears, and still in a stable place. Undefined values are
 * dropped. A value already in that order is returned as it is (the analysis builds them so): no copy.
 */
function orderKeys(value, known) {
    if (inOrder(value, known))
        return value;
    const source = value;
    const out = {};
    for (const key of known)
        if (source[key] !== undefined)
            out[key] = source[key];
    for (const key of Object.keys(source).sort(compareStrings)) {
        if (!(key in out) && source[key] !== undefined)
            out[key] = source[key];
    }
    return out;
}
/** True when orderKeys would give a copy that serialises as `source` does (same keys, same order). */
function inOrder(source, known) {
    let k = 0; // known[k…] may still come
    let unknown; // the last key not in `known` (those come last, sorted)
    for (const key in source) {
        if (!Object.prototype.hasOwnProperty.call(source, key))
            return false;
        if (source[key] === undefined)
            continue; // left out, by orderKeys and JSON alike
        if (unknown === undefined) {
            let i = k;
            while (i < known.length && known[i] !== key)
                i++;
            if (i < known.length) {
                k = i + 1;
                continue;
            }
            if (known.includes(key))
                return false;
        }
        else if (known.includes(key) || key <= unknown) {
            return false;
        }
        unknown = key;
    }
    return true;
}
/** True when `value`'s own keys are exactly `keys`, in that order. */
function exactly(value, keys) {
    let i = 0;
    for (const key in value) {
        if (!Object.prototype.hasOwnProperty.call(value, key) || key !== keys[i])
            return false;
        i++;
    }
    return i === keys.length;
}
const LOCATION_KEYS = ['file', 'range'];
const RANGE_KEYS = ['start', 'end'];
const POSITION_KEYS = ['line', 'column'];
const RELATED_KEYS = ['message', 'location'];
const SUPPRESSED_KEYS = ['reason', 'by'];
const REF_KEYS = ['kind', 'namespace', 'name'];
const USE_KEYS = ['file', 'line', 'workload', 'container'];
function locationInOrder(location) {
    const range = location.range;
    return exactly(location, LOCATION_KEYS) && exactly(range, RANGE_KEYS) && exactly(range.start, POSITION_KEYS) && exactly(range.end, POSITION_KEYS);
}
function orderLocation(location) {
    if (locationInOrder(location))
        return location;
    const { start, end } = location.range;
    return { file: location.file, range: { start: { line: start.line, column: start.column }, end: { line: end.line, column: end.column } } };
}
/** Already as orderFinding would write it (related sorted, every part in order): most findings are. */
function findingInOrder(finding) {
    if (!inOrder(finding, FINDING_KEYS) || !locationInOrder(finding.location))
        return false;
    if (finding.resource && !inOrder(finding.resource, REF_KEYS))
        return false;
    if (finding.suppressed && !exactly(finding.suppressed, SUPPRESSED_KEYS))
        return false;
    const related = finding.related;
    for (let i = 0; i < related.length; i++) {
        if (!exactly(related[i], RELATED_KEYS) || !locationInOrder(related[i].location))
            return false;
        if (i > 0 && compareRelated(related[i - 1], related[i]) > 0)
            return false;
    }
    return true;
}
function orderFinding(finding) {
    if (findingInOrder(finding))
        return finding;
    return orderKeys({
        ...finding,
        location: orderLocation(finding.location),
        resource: finding.resource ? orderKeys(finding.resource, REF_KEYS) : undefined,
        related: [...finding.related]
            .sort(compareRelated)
            .map((related) => ({ message: related.message, location: orderLocation(related.location) })),
        suppressed: finding.suppressed ? { reason: finding.suppressed.reason, by: finding.suppressed.by } : undefined,
    }, FINDING_KEYS);
}
function useInOrder(use) {
    return exactly(use, USE_KEYS) && inOrder(use.workload, REF_KEYS);
}
function orderImage(image) {
    if (inOrder(image, IMAGE_KEYS) && image.uses.every(useInOrder))
        return image;
    return orderKeys({
        ...image,
        uses: image.uses.map((use) => useInOrder(use)
            ? use
            : {
                file: use.file,
                line: use.line,
                workload: orderKeys(use.workload, REF_KEYS),
                container: use.container,
            }),
    }, IMAGE_KEYS);
}

;// CONCATENATED MODULE: ./build/report/sarif.js

/**
 * GitHub code scanning rejects a run of more results ("SARIF file rejected due to result
 * limits"): beyond it, the most important are kept (unsuppressed first, then by severity).
 */
const SARIF_MAX_RESULTS = 25_000;
const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const DEFAULT_INFORMATION_URI = 'https://github.com/pullcheck/pullcheck';
const FINGERPRINT_KEY = 'pullcheck/v1';
const SRCROOT = '%SRCROOT%';
function sarifLevel(severity) {
    return severity === 'notice' ? 'note' : severity;
}
/** `pull-secret-not-found` → `PullSecretNotFound`. */
function pascalCase(id) {
    return id
        .split(/[^A-Za-z0-9]+/)
        .filter((part) => part !== '')
        .map((part) => part[0].toUpperCase() + part.slice(1))
        .join('');
}
function ruleHelpUri(id) {
    return `https://github.com/pullcheck/pullcheck/blob/main/docs/rules.md#${id}`;
}
function formatSarif(result, opts) {
    return maskDeep(unmaskedSarif(result, opts), secretMasker(result.secretValues, reportWords(result)));
}
function unmaskedSarif(result, opts) {
    const all = sortFindings(result.findings);
    const findings = all.length > SARIF_MAX_RESULTS ? mostImportant(all, SARIF_MAX_RESULTS) : all;
    const omitted = all.length - findings.length;
    const rules = ruleTable(result.rules, findings);
    const indexOf = new Map(rules.map((rule, index) => [rule.id, index]));
    const prefix = normalisePrefix(opts.repoPathPrefix);
    const log = {
        $schema: SARIF_SCHEMA_URI,
        version: '2.1.0',
        runs: [
            {
                tool: {
                    driver: {
                        name: 'pullcheck',
                        version: opts.toolVersion,
                        ...(isSemver(opts.toolVersion) ? { semanticVersion: opts.toolVersion } : {}),
                        informationUri: opts.informationUri ?? DEFAULT_INFORMATION_URI,
                        rules: rules.map(descriptor),
                    },
                },
                originalUriBaseIds: {
                    [SRCROOT]: { description: { text: 'The root of the repository that holds the checked manifests.' } },
                },
                columnKind: 'utf16CodeUnits',
                results: findings.map((finding) => sarifResult(finding, indexOf.get(finding.ruleId) ?? 0, prefix)),
                properties: {
                    checkedImages: result.checkedImages,
                    unclassifiedImages: result.unclassifiedImages,
                    assumptions: [...new Set(result.assumptions)].sort(compareStrings),
                },
            },
        ],
    };
    if (omitted > 0) {
        const run = log.runs[0];
        run.properties.omittedResults = omitted;
        const text = `${omitted} of ${all.length} findings are left out: GitHub code scanning takes at most ${SARIF_MAX_RESULTS} results per run; these are the most important (unsuppressed first, then errors, warnings, notices). A JSON report (report-file, --report-file) holds every finding.`;
        run.invocations = [{ executionSuccessful: true, toolExecutionNotifications: [{ level: 'warning', message: { text } }] }];
    }
    return log;
}
/** The `count` most important of `sorted` (unsuppressed, then by severity), in the order of `sorted`. */
function mostImportant(sorted, count) {
    const rank = (f) => (f.suppressed ? 0 : 4) + severityRank(f.severity);
    const order = sorted.map((f, i) => i).sort((a, b) => rank(sorted[b]) - rank(sorted[a]) || a - b);
    const keep = new Set(order.slice(0, count));
    return sorted.filter((_, i) => keep.has(i));
}
/** The log as JSON text: the values of formatSarif (masked in the text, which is cheaper than in the values). */
function sarifString(result, opts) {
    return jsonTextMasker(result.secretValues, text_reportWords(result))(JSON.stringify(unmaskedSarif(result, opts), null, 2)) + '\n';
}
/**
 * Every rule of the result, by id; a finding whose rule is missing from `result.rules` still
 * gets a descriptor, because code scanning rejects a result whose ruleId has none.
 */
function ruleTable(rules, findings) {
    const byId = new Map();
    for (const rule of rules)
        if (!byId.has(rule.id))
            byId.set(rule.id, rule);
    for (const finding of findings) {
        if (!byId.has(finding.ruleId)) {
            byId.set(finding.ruleId, {
                id: finding.ruleId,
                severity: finding.severity,
                description: finding.ruleId,
                rationale: '',
                remediation: '',
            });
        }
    }
    return [...byId.values()].sort((a, b) => compareStrings(a.id, b.id));
}
function descriptor(rule) {
    const helpUri = ruleHelpUri(rule.id);
    const fullDescription = [rule.description, rule.rationale].filter((part) => part.trim() !== '').join(' ');
    const textParts = [rule.rationale, rule.remediation && `How to fix: ${rule.remediation}`, `Documentation: ${helpUri}`];
    const markdownParts = [
        `**${rule.id}** — ${rule.description}`,
        rule.rationale,
        rule.remediation && `**How to fix:** ${rule.remediation}`,
        `[Documentation](${helpUri})`,
    ];
    return {
        id: rule.id,
        name: pascalCase(rule.id),
        shortDescription: { text: rule.description },
        fullDescription: { text: fullDescription || rule.id },
        help: {
            text: textParts.filter((part) => part.trim() !== '').join('\n\n'),
            markdown: markdownParts.filter((part) => part.trim() !== '').join('\n\n'),
        },
        helpUri,
        defaultConfiguration: { level: sarifLevel(rule.severity) },
        properties: { tags: ['image-pull-secrets', 'kubernetes'] },
    };
}
function sarifResult(finding, ruleIndex, prefix) {
    const out = {
        ruleId: finding.ruleId,
        ruleIndex,
        level: sarifLevel(finding.severity),
        message: { text: finding.message },
        locations: [{ physicalLocation: physicalLocation(finding.location.file, finding.location.range, prefix) }],
        partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    };
    if (finding.related.length > 0) {
        out.relatedLocations = [...finding.related].sort(compareRelated).map((related, index) => ({
            id: index + 1,
            message: { text: related.message },
            physicalLocation: physicalLocation(related.location.file, related.location.range, prefix),
        }));
    }
    if (finding.suppressed) {
        out.suppressions = [{ kind: 'inSource', justification: finding.suppressed.reason }];
    }
    return out;
}
function physicalLocation(file, range, prefix) {
    return { artifactLocation: { uri: fileUri(prefix + file), uriBaseId: SRCROOT }, region: region(range) };
}
/**
 * Our ranges are 1-based and end-exclusive, as SARIF's are (§3.30.5: endColumn is one past the
 * last character), so they map directly. A degenerate end is dropped rather than emitted inverted.
 */
function region(range) {
    const startLine = Math.max(1, range.start.line);
    const startColumn = Math.max(1, range.start.column);
    const out = { startLine, startColumn };
    const { line: endLine, column: endColumn } = range.end;
    if (endLine > startLine || (endLine === startLine && endColumn > startColumn)) {
        out.endLine = endLine;
        out.endColumn = Math.max(1, endColumn);
    }
    return out;
}
/**
 * A relative URI reference: each segment percent-encoded, so `#`, `?`, spaces and a `:` in the
 * first segment (which would read as a scheme) cannot change its meaning.
 */
function fileUri(path) {
    return path
        .replace(/\\/g, '/')
        .split('/')
        .filter((segment, index) => !(segment === '.' || (segment === '' && index > 0)))
        .map(encodeURIComponent)
        .join('/');
}
function normalisePrefix(prefix) {
    const clean = (prefix ?? '').replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/^\/+|\/+$/g, '');
    return clean === '' || clean === '.' ? '' : `${clean}/`;
}
function isSemver(version) {
    return /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/.test(version);
}

;// CONCATENATED MODULE: ./build/report/workflow-commands.js

/** Escaping of workflow-command data and properties (actions/toolkit command.ts). */
function escapeData(s) {
    return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
/** Most important first: errors, then warnings, then notices; within a level by file and line. */
function workflow_commands_annotationOrder(findings) {
    return sortFindings(findings.filter((f) => !f.suppressed)).sort((a, b) => severityRank(b.severity) - severityRank(a.severity));
}

;// CONCATENATED MODULE: ./build/report/annotations.js


/** What GitHub shows per level and step; the rest is dropped without a word. */
const ANNOTATIONS_PER_LEVEL = 10;
const annotations_LEVELS = ['error', 'warning', 'notice'];
/**
 * Masked first, then control characters escaped: escaping first could break a secret apart where
 * the masker no longer finds it (and workflow-command escaping comes last, in annotationCommand).
 */
function toAnnotation(finding, mask = (text) => text) {
    const clean = (text) => escapeControls(mask(text));
    const { start, end } = finding.location.range;
    const properties = {
        file: clean(finding.location.file),
        startLine: start.line,
        endLine: Math.max(start.line, end.line),
        title: clean(finding.ruleId),
    };
    if (end.line <= start.line) {
        properties.startColumn = start.column;
        properties.endColumn = Math.max(start.column, end.column);
    }
    return { level: finding.severity, message: clean(finding.message), properties };
}
/**
 * `--format github`: every unsuppressed finding as a workflow command, most important first, as
 * the action plans them (SPEC §7): those GitHub annotates, then, when there are more than it shows,
 * one notice saying how many and where they are, then the rest (the log lists them, GitHub
 * annotates none). The suppressed findings follow as plain log lines (counted and listed).
 */
function formatWorkflowCommands(findings, mask = (text) => text, places = { log: true }) {
    const plan = planAnnotations(findings, { mask });
    const lines = plan.annotations.map(annotationCommand);
    const overflow = overflowNotice(plan.notAnnotated, places);
    if (overflow) {
        lines.push(`::notice::${escapeData(oneLine(escapeControls(mask(overflow))))}`);
        for (const f of plan.notAnnotated)
            lines.push(annotationCommand(toAnnotation(f, mask)));
    }
    lines.push(...suppressedLogLines(findings, mask));
    return lines.join('\n');
}
/**
 * The annotations to emit. Each level gets `perLevel` slots minus the reserved ones; when any
 * finding is left out, one notice slot is kept for the overflow notice.
 */
function planAnnotations(findings, opts = {}) {
    const perLevel = opts.perLevel ?? ANNOTATIONS_PER_LEVEL;
    const mask = opts.mask ?? ((text) => text);
    const ordered = workflow_commands_annotationOrder(findings);
    const byLevel = new Map(annotations_LEVELS.map((level) => [level, ordered.filter((f) => f.severity === level)]));
    const cap = new Map(annotations_LEVELS.map((level) => [level, Math.max(0, perLevel - (opts.reserved?.[level] ?? 0))]));
    let overflow = annotations_LEVELS.some((level) => level !== 'notice' && byLevel.get(level).length > cap.get(level));
    if (overflow || byLevel.get('notice').length > cap.get('notice')) {
        overflow = true;
        cap.set('notice', Math.max(0, cap.get('notice') - 1));
    }
    const annotations = [];
    const notAnnotated = [];
    for (const level of annotations_LEVELS) {
        const list = byLevel.get(level);
        const n = cap.get(level);
        for (const finding of list.slice(0, n))
            annotations.push(toAnnotation(finding, mask));
        notAnnotated.push(...list.slice(n));
    }
    return { annotations, notAnnotated };
}
/** The one notice about the findings left out; undefined when nothing was left out. */
function overflowNotice(notAnnotated, places, perLevel = ANNOTATIONS_PER_LEVEL) {
    if (notAnnotated.length === 0)
        return undefined;
    const counts = annotations_LEVELS.map((level) => [level, notAnnotated.filter((f) => f.severity === level).length])
        .filter(([, n]) => n > 0)
        .map(([level, n]) => annotations_plural(n, level));
    const where = [];
    const checkRun = places.checkRun ? `they are annotated in the check run "pullcheck"${places.checkRun.url ? ` (${places.checkRun.url})` : ''}` : undefined;
    if (places.summary)
        where.push('the job summary');
    if (places.sarifFile)
        where.push(`the SARIF file ${places.sarifFile}`);
    if (places.reportFile)
        where.push(`the JSON report ${places.reportFile}`);
    if (places.log)
        where.push('the step log');
    const all = where.length === 0 ? (checkRun ? '' : 'set sarif-file or report-file to get them all') : `every finding is in ${joinAnd(where)}`;
    const list = checkRun ? (all ? `${checkRun}, and ${all}` : checkRun) : all;
    return (`pullcheck: ${annotations_plural(notAnnotated.length, 'finding')} (${counts.join(', ')}) ${notAnnotated.length === 1 ? 'is' : 'are'} not annotated ` +
        `because GitHub shows at most ${perLevel} annotations of each level per step; ${list}.`);
}
/**
 * The workflow command of an annotation, properties in the order the CLI's `--format github`
 * prints them: `::error file=…,line=…,endLine=…,col=…,endColumn=…,title=…::message`.
 */
function annotationCommand(annotation) {
    const p = annotation.properties;
    const props = [
        ['file', p.file],
        ['line', p.startLine],
        ['endLine', p.endLine],
        ['col', p.startColumn],
        ['endColumn', p.endColumn],
        ['title', p.title],
    ];
    const text = props
        .filter(([, value]) => value !== undefined && value !== '')
        .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
        .join(',');
    return `::${annotation.level} ${text}::${escapeData(annotation.message)}`;
}
const CHECK_LEVEL = { error: 'failure', warning: 'warning', notice: 'notice' };
/** The Checks API rejects longer messages: 64 KB, counted in UTF-8 bytes. */
const CHECK_MESSAGE_MAX_BYTES = (/* unused pure expression or super */ null && (64 * 1024 - 1));
/** The text, or its longest prefix of whole characters that fits in `maxBytes` of UTF-8 with a `…`. */
function cutToUtf8Bytes(text, maxBytes) {
    // Three bytes per UTF-16 unit at most: shorter texts always fit.
    if (text.length * 3 <= maxBytes || Buffer.byteLength(text) <= maxBytes)
        return text;
    const budget = maxBytes - 3; // the ellipsis
    let bytes = 0;
    let end = 0;
    for (const ch of text) {
        const cp = ch.codePointAt(0);
        const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        if (bytes + size > budget)
            break;
        bytes += size;
        end += ch.length;
    }
    return text.slice(0, end) + '…';
}
/** Every unsuppressed finding, most important first, for the check run. */
function checkRunAnnotations(findings, mask = (text) => text) {
    return annotationOrder(findings).map((finding) => {
        const a = toAnnotation(finding, mask);
        const out = {
            path: a.properties.file,
            start_line: a.properties.startLine,
            end_line: a.properties.endLine,
            annotation_level: CHECK_LEVEL[a.level],
            message: cutToUtf8Bytes(a.message, CHECK_MESSAGE_MAX_BYTES),
            title: a.properties.title,
        };
        if (a.properties.startColumn !== undefined) {
            out.start_column = a.properties.startColumn;
            out.end_column = a.properties.endColumn;
        }
        return out;
    });
}
/**
 * One line per unsuppressed finding for the step log: `error  file:line:col  rule  message`.
 * Every line starts with the severity and holds no line break (file names and messages come from
 * the repository), so manifest content can never start a workflow command.
 */
function logLines(findings, mask = (text) => text) {
    return annotationOrder(findings).map((f) => logLine(f, f.severity.padEnd(7), '', mask));
}
/** `<lead>  file:line:col  rule  message<tail>`, masked, on one line. */
function logLine(f, lead, tail, mask) {
    const { line, column } = f.location.range.start;
    return oneLine(escapeControls(mask(`${lead}  ${f.location.file}:${line}:${column}  ${f.ruleId}  ${f.message}${tail}`)));
}
/**
 * The step log's lines for the suppressed findings, after the others (SPEC §5: counted and listed,
 * never dropped; under act there is no job summary to list them): position, rule, and how and why.
 */
function suppressedLogLines(findings, mask = (text) => text) {
    return sortFindings(findings.filter((f) => f.suppressed)).map((f) => logLine(f, 'suppressed', `  (by ${f.suppressed.by}: ${f.suppressed.reason})`, mask));
}
/**
 * Text for one line of the step log. Line breaks become spaces: the runner reads every line that
 * starts with `::` as a workflow command. And `##[`, which its legacy parser finds anywhere in a
 * line (`##[warning]…`, `##[stop-commands]…`), gets a zero-width space inside.
 */
function oneLine(text) {
    return text.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/##\[/g, '#\u200b#[');
}
function annotations_plural(n, word) {
    return `${n} ${word}${n === 1 ? '' : 's'}`;
}
function joinAnd(items) {
    if (items.length <= 1)
        return items.join('');
    return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

;// CONCATENATED MODULE: ./build/version.js
// The tool's version (kept equal to package.json's by a test).
const VERSION = '0.1.0';

;// CONCATENATED MODULE: ./build/cli.js
// CLI entry: arguments → Options → analyze → text | json | sarif | github → exit code (0, 1, 2).













async function main(argv, io = {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    // No stdin: process.stdin is made (~2 ms: its stream classes loaded) only when `-` is read.
}) {
    let args;
    try {
        args = parseCliArgs(argv);
    }
    catch (err) {
        return usageError(err, io.stderr);
    }
    if (args.kind === 'help') {
        io.stdout.write(args.text.endsWith('\n') ? args.text : args.text + '\n');
        return 0;
    }
    if (args.kind === 'version') {
        io.stdout.write(`pullcheck ${VERSION}\n`);
        return 0;
    }
    let options;
    let given = [];
    try {
        const values = { ...args.values };
        const fromDir = values.config === undefined ? configBesideTarget(args.paths, String(values.workingDirectory ?? '.'), io.cwd) : undefined;
        if (fromDir)
            values.config = fromDir;
        options = await resolveOptions({ values, origin: 'cli', cwd: io.cwd, knownRuleIds: [...CONFIGURABLE_RULE_IDS] });
        if (args.paths.length) {
            given = await positionals(args.paths, options.workingDirectory);
            const globs = given.flatMap((p) => p.globs);
            // Only excludes (`pullcheck '!vendor'`): they narrow the configured manifests.
            options.manifests = given.every((p) => p.negated) ? [...options.manifests, ...globs] : globs;
        }
    }
    catch (err) {
        return usageError(err, io.stderr);
    }
    for (const text of [...optionWarnings(options), ...inactiveRuleWarnings(options.rules)])
        io.stderr.write(`pullcheck: warning: ${text}\n`);
    for (const text of actionOnlyWarnings(args.values, args.format))
        io.stderr.write(`pullcheck: warning: ${text}\n`);
    // `-`: the manifests piped in (helm template . | pullcheck -), beside any files.
    const extra = [];
    if (given.some((p) => p.kind === 'stdin')) {
        const input = await readInput(io.stdin ?? process.stdin, MAX_FILE_BYTES);
        // A command that failed before the pipe (helm template …) leaves it empty: say so.
        if (input.bytes && blank(input.bytes))
            io.stderr.write('pullcheck: warning: standard input is empty: nothing was read from it\n');
        extra.push(input.bytes ? files_loadSource(STDIN_PATH, input.bytes) : oversizedSource(STDIN_PATH, input.size));
    }
    // A FIFO or device named as a file (`pullcheck <(helm template .)`): read to its end, as `-` is.
    for (const p of given.filter((g) => g.kind === 'stream')) {
        const absolute = external_node_path_.resolve(options.workingDirectory, p.given);
        const name = displayPath(absolute, options.workingDirectory);
        let input;
        try {
            input = await readInput((0,external_node_fs_.createReadStream)(absolute), MAX_FILE_BYTES);
        }
        catch (err) {
            extra.push(files_unreadableSource(name, err.code ?? 'read error'));
            continue;
        }
        if (input.bytes && blank(input.bytes))
            io.stderr.write(`pullcheck: warning: ${name} is empty: nothing was read from it\n`);
        extra.push(input.bytes ? files_loadSource(name, input.bytes) : oversizedSource(name, input.size));
    }
    const result = await analyze(options, extra);
    // The paths named and not read are errors of their own (reportUnmatched), not said twice.
    const namedSkipped = namedNotRead(given, result);
    const explained = new Set([...namedSkipped.values()].flat().map((n) => n.file));
    const notRead = notReadWarning((result.notRead ?? []).filter((n) => !explained.has(n.file)), 20);
    if (notRead)
        io.stderr.write(`pullcheck: warning: ${escapeControls(notRead)}\n`);
    const unparsed = unparsedWarning(result.files, options.rules, 20);
    if (unparsed)
        io.stderr.write(`pullcheck: warning: ${escapeControls(unparsed)}\n`);
    if (!(await reportUnmatched(given, options, result, namedSkipped, io.stderr, io.cwd)))
        return 2;
    // A reader that stops early (`pullcheck --format json | head`) closes the pipe: stop writing, and
    // still exit with the check's code (an unhandled EPIPE would crash with a stack trace).
    // Any other write error (a full disk) loses the report: exit 2, as for a report file.
    let closed = false;
    let writeFailed = false;
    const onError = (err) => {
        closed = true;
        if (err.code === 'EPIPE')
            return;
        writeFailed = true;
        io.stderr.write(`pullcheck: cannot write the output: ${err.message}\n`);
    };
    io.stdout.on('error', onError);
    const mask = text_secretMasker(result.secretValues, text_reportWords(result));
    let out;
    switch (args.format) {
        case 'json':
            // Written in pieces, as the reader takes them: the report of a big repository is tens of megabytes.
            for (const piece of jsonPieces(result, { toolVersion: VERSION, failOn: options.failOn })) {
                if (closed)
                    break;
                if (io.stdout.write(piece) === false && !closed)
                    await drained(io.stdout);
            }
            out = '';
            break;
        case 'sarif':
            out = sarifString(result, { toolVersion: VERSION });
            break;
        case 'github':
            out = formatWorkflowCommands(result.findings, mask, { log: true, sarifFile: shownPath(options.sarifFile, io.cwd), reportFile: shownPath(options.reportFile, io.cwd) });
            break;
        default: {
            const color = args.color ?? colorWanted(Boolean(io.stdout.isTTY), process.env);
            out = formatText(result, { color, quiet: args.quiet ?? false });
        }
    }
    if (!out.endsWith('\n') && out !== '')
        out += '\n';
    // Every reporter masks the secret values itself (text and github before they escape).
    if (out !== '' && !closed)
        io.stdout.write(out);
    // As eslint's --output-file: the findings are printed, and a file that cannot be written makes
    // the run an error (exit 2). Each file is attempted, as the action does.
    const files = [
        [options.sarifFile, '--sarif-file', () => sarifString(result, { toolVersion: VERSION })],
        [options.reportFile, '--report-file', () => formatJson(result, { toolVersion: VERSION, failOn: options.failOn })],
    ];
    let unwritten = false;
    for (const [file, flag, text] of files) {
        if (!file)
            continue;
        try {
            writeOutputFile(file, text(), flag, displayPath(file, io.cwd));
        }
        catch (err) {
            if (!(err instanceof OutputFileError))
                throw err;
            io.stderr.write(`pullcheck: ${err.message}\n`);
            unwritten = true;
        }
    }
    if (unwritten)
        return 2;
    // Write errors are reported by events: let them in before deciding.
    await new Promise((resolve) => setImmediate(resolve));
    if (writeFailed)
        return 2;
    return outcome(result.findings, options.failOn) === 'fail' ? 1 : 0;
}
/**
 * `pullcheck some/dir` with no config in the working directory: use `some/dir/.pullcheck.yml`, as a
 * user who keeps the config beside the manifests expects.
 */
function configBesideTarget(paths, workingDirectory, cwd) {
    const wd = external_node_path_.resolve(cwd, workingDirectory);
    if (paths.length !== 1 || CONFIG_FILE_NAMES.some((n) => (0,external_node_fs_.existsSync)(external_node_path_.join(wd, n))))
        return undefined;
    const dir = external_node_path_.resolve(wd, paths[0]);
    for (const name of CONFIG_FILE_NAMES) {
        const candidate = external_node_path_.join(dir, name);
        if ((0,external_node_fs_.existsSync)(candidate))
            return candidate;
    }
    return undefined;
}
/**
 * The files and directories named on the command line whose files were all reached but none read
 * (links out of the working directory, a directory without permission): nothing of them was
 * checked. Each with the paths not read below it.
 */
function namedNotRead(given, result) {
    const out = new Map();
    const notRead = result.notRead ?? [];
    if (notRead.length === 0)
        return out;
    const skippedPaths = new Set(notRead.map((n) => n.file));
    for (const p of given) {
        if (p.negated || p.relative === undefined || (p.kind !== 'file' && p.kind !== 'directory'))
            continue;
        const prefix = `${p.relative}/`;
        const below = (file) => p.relative === '' || file === p.relative || file.startsWith(prefix);
        const skipped = notRead.filter((n) => below(n.file));
        if (skipped.length > 0 && !result.files.some((f) => below(f.file) && !skippedPaths.has(f.file)))
            out.set(p, skipped);
    }
    return out;
}
/**
 * Nothing is skipped silently: a path or glob named on the command line that matches no file is a
 * usage error (as in eslint: a typo must not pass the check); a directory without manifests, or
 * no manifests at all, is said on stderr. False when the run must stop with exit code 2.
 */
async function reportUnmatched(given, options, result, namedSkipped, stderr, cwd) {
    const none = new Set(result.unmatched ?? []);
    const excludedOnly = result.excludedOnly ?? [];
    const read = result.files.length - (result.notRead?.length ?? 0);
    let ok = true;
    for (const p of given) {
        if (p.kind === 'stdin' || p.kind === 'stream' || p.negated)
            continue;
        const skipped = namedSkipped.get(p);
        if (skipped) {
            ok = false;
            const why = skipped.slice(0, 3).map((n) => (n.file === p.relative ? n.reason : `${n.file}: ${n.reason}`));
            const more = skipped.length > 3 ? `; and ${skipped.length - 3} more` : '';
            stderr.write(`pullcheck: ${p.given} was not read (${escapeControls(why.join('; '))}${more})\n`);
            continue;
        }
        if (!p.globs.every((g) => none.has(g)))
            continue;
        if (p.kind === 'directory') {
            // Manifests there, every one left out, are not "no manifest files".
            if (p.relative !== undefined && /(^|\/)(node_modules|\.git)(\/|$)/.test(p.relative)) {
                ok = false;
                stderr.write(`pullcheck: ${p.given} is left out (files under node_modules and .git are never read)\n`);
            }
            else if (p.globs.some((g) => excludedOnly.includes(g))) {
                ok = false;
                stderr.write(`pullcheck: every manifest file in ${p.given} is left out by an exclude (!)\n`);
            }
            else {
                stderr.write(`pullcheck: warning: no manifest files (*.yaml, *.yml, *.json) in ${p.given}\n`);
            }
            continue;
        }
        ok = false;
        if (p.kind === 'file' && /(^|[\\/])(node_modules|\.git)[\\/]/.test(p.given))
            stderr.write(`pullcheck: ${p.given} is left out (files under node_modules and .git are never read)\n`);
        else if (p.kind === 'file')
            stderr.write(`pullcheck: ${p.given} is left out by an exclude (!)\n`);
        else if ((await __nccwpck_require__.e(/* import() */ 668).then(__nccwpck_require__.bind(__nccwpck_require__, 668))).hasMagic(p.given)) {
            // Files that match, all left out by an exclude, are not "no files" (as eslint says it).
            const matched = p.globs.every((g) => excludedOnly.includes(g));
            stderr.write(matched ? `pullcheck: every file the pattern "${p.given}" matches is left out by an exclude (!)\n` : `pullcheck: no files match the pattern "${p.given}"\n`);
        }
        else
            stderr.write(`pullcheck: ${p.given}: ${whyMissing(p.given, options.workingDirectory, cwd)}\n`);
    }
    // No arguments, or excludes only (`pullcheck '!vendor'`): the manifests globs minus those.
    if (ok && given.every((p) => p.negated)) {
        if (read === 0)
            stderr.write(`pullcheck: warning: no manifest files match ${options.manifests.join(', ')}; nothing was checked\n`);
        // A configured pattern that matches nothing beside others that do.
        const some = unmatchedWarning([...none], excludedOnly, read);
        if (some)
            stderr.write(`pullcheck: warning: ${escapeControls(some)}\n`);
    }
    return ok;
}
/** An output file as the user named it: relative to the current directory when below it. */
function shownPath(file, cwd) {
    return file === undefined ? undefined : displayPath(file, cwd);
}
/**
 * Why a path named on the command line was not found: usually it does not exist. Paths are taken
 * from the working directory: when that is not the current one, the path looked at is named.
 */
function whyMissing(given, workingDirectory, cwd) {
    const file = external_node_path_.resolve(workingDirectory, given);
    const where = external_node_path_.resolve(workingDirectory) === external_node_path_.resolve(cwd) ? '' : ` (looked for as ${file}: paths are relative to --working-directory)`;
    try {
        (0,external_node_fs_.statSync)(file);
    }
    catch (err) {
        const code = err.code;
        if (code === 'EACCES' || code === 'EPERM')
            return `permission denied (a directory on its path cannot be read)${where}`;
        if (code !== 'ENOENT' && code !== 'ENOTDIR')
            return `cannot be read (${code ?? 'error'})${where}`;
    }
    return `no such file or directory${where}`;
}
/** Nothing but spaces, tabs and line breaks (stops at the first other byte). */
function blank(bytes) {
    for (const b of bytes)
        if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d)
            return false;
    return true;
}
/**
 * The whole stream, or only its size when it is over `limit` bytes (what is over is read and
 * dropped, so that the writer is not blocked, and never held).
 */
async function readInput(stream, limit) {
    const chunks = [];
    let size = 0;
    for await (const chunk of stream) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        size += bytes.length;
        if (size <= limit)
            chunks.push(bytes);
        else
            chunks.length = 0;
    }
    return size <= limit ? { bytes: Buffer.concat(chunks), size } : { size };
}
/** Resolves when the stream wants more, or can take no more (closed, failed). */
function drained(stream) {
    return new Promise((resolve) => {
        const done = () => {
            stream.off('drain', done);
            stream.off('error', done);
            stream.off('close', done);
            resolve();
        };
        stream.on('drain', done);
        stream.on('error', done);
        stream.on('close', done);
    });
}
function usageError(err, stderr) {
    if (err instanceof OptionsError) {
        stderr.write(`pullcheck: ${err.message}\nRun pullcheck --help for the options.\n`);
        return 2;
    }
    throw err;
}
main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
}, (err) => {
    process.stderr.write(`pullcheck: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
});

var __webpack_exports__main = __webpack_exports__.i;
export { __webpack_exports__main as main };
