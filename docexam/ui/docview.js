// docexam document view: a document in one light, zoom, card sides, marks drawn in the browser.
//
// data = {item, size: [w, h], lights: [{id, label, src, zoom}], views: [{label, crop}],
//         mode: "view" | "locate", answer, overlays: [{box, colour, label?} | {point, colour} | {tint}],
//         text: {...}}
// state "answer": {point: [x, y]} or {box: [x0, y0, x1, y1]} in the image's pixels.
//
// Everything here runs in the browser: switching light, side or zoom, and drawing the
// trainee's mark cost the server nothing. Only a new mark is sent (one state value).
// Pointer events serve mouse, pen and touch alike: in "point" mode a tap marks a point
// and the page still scrolls and pinch-zooms; in "box" mode a drag draws a box.

const local = new WeakMap()

const SVG = "http://www.w3.org/2000/svg"

function el(tag, attrs, parent) {
  const node = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag)
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") node.textContent = v
    else node.setAttribute(k, v)
  }
  if (parent) parent.appendChild(node)
  return node
}

export default function (component) {
  const { data, parentElement, setStateValue } = component
  if (!data) return
  let me = local.get(parentElement)
  if (!me || me.item !== data.item) {
    // a new question (or the first draw): start from what the server knows
    me = { item: data.item, light: 0, view: 0, zoom: 1, mode: "point", answer: data.answer || null }
    local.set(parentElement, me)
  }
  // the trainee's own latest mark wins over a server run that started before it was made
  if (!me.answer && data.answer) me.answer = data.answer
  const [W, H] = data.size
  const views = (data.views && data.views.length) ? data.views : [{ label: "", crop: [0, 0, W, H] }]
  const lights = data.lights
  const text = data.text || {}
  const locate = data.mode === "locate"

  // only the mount point is redrawn: the component's own <style> sits beside it
  const mount = parentElement.querySelector(".dx-mount")
  if (!mount) return
  mount.innerHTML = ""
  const root = el("div", { class: "dx-root" }, mount)
  const bar = el("div", { class: "dx-bar" }, root)

  function group(options, current, onPick, cls) {
    if (options.length < 2) return
    const g = el("div", { class: "dx-group " + (cls || ""), role: "group" }, bar)
    options.forEach((label, i) => {
      const b = el("button", { type: "button", class: i === current ? "dx-on" : "", text: label,
                               "aria-pressed": String(i === current) }, g)
      b.onclick = () => onPick(i)
    })
  }
  const zoomGroup = el("div", { class: "dx-group", role: "group" }, bar)
  const zoomOut = el("button", { type: "button", text: "−", "aria-label": text.zoom_out || "Zoom out" }, zoomGroup)
  const zoomLabel = el("span", { class: "dx-zoom" }, zoomGroup)
  const zoomIn = el("button", { type: "button", text: "+", "aria-label": text.zoom_in || "Zoom in" }, zoomGroup)
  zoomOut.onclick = () => { me.zoom = Math.max(1, me.zoom / 2); draw() }
  zoomIn.onclick = () => { me.zoom = Math.min(8, me.zoom * 2); draw() }

  const hint = el("div", { class: "dx-hint" }, root)
  const scroller = el("div", { class: "dx-scroll" }, root)
  const stage = el("div", { class: "dx-stage" }, scroller)
  const img = el("img", { alt: text.alt || "", draggable: "false" }, stage)
  // a picture the background preparation has not encoded yet: asked for again until its file is there
  let tries = 0
  img.onerror = () => {
    const want = img.dataset.want
    if (!want || ++tries > 240) return
    setTimeout(() => { if (img.dataset.want === want) img.setAttribute("src", want + "?try=" + tries) }, 1000)
  }
  const tints = el("div", { class: "dx-tints" }, stage)
  const svg = el("svg:svg", { class: "dx-marks", preserveAspectRatio: "none" }, stage)

  function crop() { return views[me.view].crop || [0, 0, W, H] }

  function toImage(ev) {
    const r = stage.getBoundingClientRect()
    const [x0, y0, x1, y1] = crop()
    const x = x0 + (ev.clientX - r.left) / r.width * (x1 - x0)
    const y = y0 + (ev.clientY - r.top) / r.height * (y1 - y0)
    return [Math.round(Math.min(Math.max(x, 0), W - 1)), Math.round(Math.min(Math.max(y, 0), H - 1))]
  }

  function marks(extra) {
    const [x0, y0, x1, y1] = crop()
    svg.setAttribute("viewBox", `${x0} ${y0} ${x1 - x0} ${y1 - y0}`)
    svg.innerHTML = ""
    const unit = (x1 - x0) / 300  // stroke widths follow the shown width, not the image's
    const shapes = [...(data.overlays || [])]
    if (me.answer) shapes.push({ ...me.answer, colour: "#1464ff" })
    if (extra) shapes.push(extra)
    for (const s of shapes) {
      const colour = s.colour || "#e61e1e"
      if (s.box) {
        const [a, b, c, d] = s.box
        el("svg:rect", { x: a, y: b, width: Math.max(c - a, 1), height: Math.max(d - b, 1), fill: "none",
                         stroke: colour, "stroke-width": 1.2 * unit }, svg)
        if (s.label) {  // a number naming the box in a list beside the picture
          const t = el("svg:text", { x: a + 2 * unit, y: b + 12 * unit, fill: colour, "font-size": 12 * unit,
                                     "font-weight": "bold", stroke: "#fff", "stroke-width": 0.6 * unit,
                                     "paint-order": "stroke" }, svg)
          t.textContent = String(s.label)
        }
      } else if (s.point) {
        const [px, py] = s.point
        const r = 4 * unit
        el("svg:circle", { cx: px, cy: py, r, fill: "none", stroke: colour, "stroke-width": unit }, svg)
        el("svg:line", { x1: px - 2 * r, y1: py, x2: px + 2 * r, y2: py, stroke: colour, "stroke-width": unit }, svg)
        el("svg:line", { x1: px, y1: py - 2 * r, x2: px, y2: py + 2 * r, stroke: colour, "stroke-width": unit }, svg)
      }
    }
  }

  function draw() {
    const light = lights[Math.min(me.light, lights.length - 1)]
    const [x0, y0, x1, y1] = crop()
    const cw = x1 - x0, ch = y1 - y0
    // the whole image is laid out scaled so that the crop fills the stage; the stage clips it
    stage.style.width = (100 * me.zoom) + "%"
    stage.style.aspectRatio = `${cw} / ${ch}`
    for (const layer of [img, tints]) {
      layer.style.width = (100 * W / cw) + "%"
      layer.style.left = (-100 * x0 / cw) + "%"
      layer.style.top = (-100 * y0 / ch) + "%"
    }
    const src = me.zoom > 1 && light.zoom ? light.zoom : light.src
    if (img.dataset.want !== src) { img.dataset.want = src; tries = 0; img.setAttribute("src", src) }
    tints.innerHTML = ""
    for (const o of data.overlays || []) {
      if (o.tint) el("img", { src: o.tint, alt: "", draggable: "false" }, tints)
    }
    zoomLabel.textContent = me.zoom + "×"
    zoomOut.disabled = me.zoom <= 1
    bar.querySelectorAll(".dx-group").forEach(g => g.remove())
    group(lights.map(l => l.label), me.light, i => { me.light = i; draw() })
    group(views.map(v => v.label), me.view, i => { me.view = i; me.zoom = 1; draw() })
    if (locate) {
      group([text.mode_point || "Point", text.mode_box || "Box"], me.mode === "box" ? 1 : 0,
            i => { me.mode = i ? "box" : "point"; draw() }, "dx-mode")
    }
    bar.appendChild(zoomGroup)
    stage.classList.toggle("dx-box", locate && me.mode === "box")
    stage.classList.toggle("dx-point", locate && me.mode !== "box")
    if (locate) {
      hint.textContent = (me.mode === "box" ? text.hint_box : text.hint_point) || ""
      if (me.answer && text.chosen) hint.textContent += " " + text.chosen
    } else {
      hint.textContent = ""
    }
    marks()
  }

  function send() {
    setStateValue("answer", me.answer)
  }

  if (locate) {
    let start = null
    stage.onpointerdown = ev => {
      if (ev.button !== undefined && ev.button > 0) return
      if (me.mode === "box") {
        start = toImage(ev)
        stage.setPointerCapture(ev.pointerId)
        ev.preventDefault()
      } else {
        start = { x: ev.clientX, y: ev.clientY, t: Date.now() }
      }
    }
    stage.onpointermove = ev => {
      if (me.mode !== "box" || !start) return
      const p = toImage(ev)
      marks({ box: [Math.min(start[0], p[0]), Math.min(start[1], p[1]), Math.max(start[0], p[0]),
                    Math.max(start[1], p[1])], colour: "#1464ff" })
    }
    stage.onpointerup = ev => {
      if (!start) return
      const p = toImage(ev)
      if (me.mode === "box") {
        const box = [Math.min(start[0], p[0]), Math.min(start[1], p[1]), Math.max(start[0], p[0]) + 1,
                     Math.max(start[1], p[1]) + 1]
        // a tap in box mode is a point: the trainee meant that spot
        me.answer = (box[2] - box[0] > 3 && box[3] - box[1] > 3) ? { box } : { point: p }
      } else {
        // a tap, not the end of a scroll or a pinch
        if (Math.hypot(ev.clientX - start.x, ev.clientY - start.y) > 12) { start = null; return }
        me.answer = { point: p }
      }
      start = null
      draw()
      send()
    }
    stage.onpointercancel = () => { start = null; marks() }
  }
  draw()
}
