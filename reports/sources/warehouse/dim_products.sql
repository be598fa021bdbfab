select seller_id, marketplace_id, sku, fnsku, asin, title
from marts.dim_products
