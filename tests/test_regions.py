import numpy as np

from boilerplate.parsing import parse_html
from boilerplate.regions import REGION_NAMES, block_regions
from boilerplate.segmentation import segment

# Two product cards of one template, a navigation list, and a paragraph of text beside them.
PAGE = """<html><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/shop">Shop</a></li></ul></nav>
<main>
  <div class="grid">
    <div class="card"><h3 class="card-title">Linen Shirt</h3><p class="card-text">Light and cool for summer.</p></div>
    <div class="card"><h3 class="card-title">Wool Coat</h3><p class="card-text">Warm for the winter months.</p></div>
  </div>
  <p>Our shirts are woven in Portugal from European flax.</p>
</main>
</body></html>"""


def regions_of(html):
    page = segment(parse_html(html))
    return page, block_regions(page)


def column(name):
    return REGION_NAMES.index(name)


def test_one_row_per_block_and_one_column_per_region():
    page, regions = regions_of(PAGE)
    assert regions.shape == (len(page.blocks), len(REGION_NAMES))
    assert regions.dtype == np.int64
    assert regions.min() >= 0


def test_blocks_of_one_template_share_a_region_and_others_do_not():
    page, regions = regions_of(PAGE)
    text = [b.text for b in page.blocks]
    shirt, coat = text.index("Linen Shirt"), text.index("Wool Coat")
    home, story = text.index("Home"), text.index("Our shirts are woven in Portugal from European flax.")
    markup = regions[:, column("same_markup")]
    assert markup[shirt] == markup[coat]  # two card titles: same tag path, same classes
    assert markup[shirt] != markup[text.index("Light and cool for summer.")]
    parent = regions[:, column("up1")]
    assert parent[shirt] == parent[text.index("Light and cool for summer.")]  # one card
    assert parent[shirt] != parent[coat]  # two cards
    assert regions[shirt, column("up2")] == regions[coat, column("up2")]  # one grid
    assert regions[shirt, column("same_parent_path")] == regions[coat, column("same_parent_path")]
    assert parent[home] != parent[story]  # a menu item and the text beside the grid


def test_a_page_without_blocks_has_no_regions():
    page, regions = regions_of("<html><body><script>x()</script></body></html>")
    assert page.blocks == []
    assert regions.shape == (0, len(REGION_NAMES))
